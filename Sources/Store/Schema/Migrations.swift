import GRDB

/// The store's schema as named, append-only migrations: never edit one that has shipped, add a new one.
enum Migrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-registry") { db in
            try db.execute(sql: """
                CREATE TABLE station (
                    code TEXT PRIMARY KEY NOT NULL CHECK (length(code) > 0),
                    name TEXT NOT NULL,
                    timezone TEXT NOT NULL,
                    lat REAL CHECK (lat IS NULL OR lat BETWEEN -90 AND 90),
                    lon REAL CHECK (lon IS NULL OR lon BETWEEN -180 AND 180),
                    radius_m REAL CHECK (radius_m IS NULL OR radius_m >= 0),
                    updated_at REAL NOT NULL
                );
                CREATE TABLE lane (
                    station_code TEXT NOT NULL REFERENCES station(code) ON DELETE CASCADE,
                    code TEXT NOT NULL CHECK (length(code) > 0),
                    position INTEGER NOT NULL,
                    PRIMARY KEY (station_code, code)
                );
                CREATE TABLE device (
                    station_code TEXT NOT NULL,
                    lane_code TEXT NOT NULL,
                    id TEXT NOT NULL CHECK (length(id) > 0),
                    make TEXT,
                    model TEXT,
                    serial TEXT,
                    position INTEGER NOT NULL,
                    PRIMARY KEY (station_code, id),
                    FOREIGN KEY (station_code, lane_code) REFERENCES lane(station_code, code) ON DELETE CASCADE
                );
                CREATE TABLE rule_set (
                    sha256 TEXT PRIMARY KEY NOT NULL CHECK (length(sha256) = 64),
                    id TEXT NOT NULL,
                    content TEXT NOT NULL,
                    first_used_at REAL NOT NULL
                );
                """)
        }
        migrator.registerMigration("v1-submissions") { db in
            try db.execute(sql: """
                CREATE TABLE batch (
                    id INTEGER PRIMARY KEY,
                    station_code TEXT NOT NULL REFERENCES station(code),
                    batch_id TEXT NOT NULL CHECK (length(batch_id) > 0),
                    content_sha256 TEXT NOT NULL CHECK (length(content_sha256) = 64),
                    manifest TEXT NOT NULL,
                    receipt TEXT NOT NULL,
                    record_count INTEGER NOT NULL CHECK (record_count >= 0),
                    submitted_at REAL NOT NULL,
                    UNIQUE (station_code, batch_id)
                );
                CREATE TABLE record (
                    id INTEGER PRIMARY KEY,
                    batch_row INTEGER NOT NULL REFERENCES batch(id),
                    station_code TEXT NOT NULL REFERENCES station(code),
                    inspection_id TEXT NOT NULL,
                    version INTEGER NOT NULL CHECK (version >= 1),
                    is_current INTEGER NOT NULL CHECK (is_current IN (0, 1)),
                    lane TEXT,
                    plate TEXT,
                    plate_type TEXT,
                    vin TEXT,
                    vehicle_type TEXT,
                    use_type TEXT,
                    category TEXT,
                    started_at REAL,
                    started_offset INTEGER,
                    finished_at REAL,
                    finished_offset INTEGER,
                    odometer_km REAL,
                    status TEXT NOT NULL CHECK (status IN ('passed', 'returned', 'flagged')),
                    sampled INTEGER NOT NULL CHECK (sampled IN (0, 1)),
                    rule_set_sha256 TEXT REFERENCES rule_set(sha256),
                    check_ms REAL NOT NULL,
                    raw TEXT NOT NULL,
                    received_at REAL NOT NULL,
                    UNIQUE (station_code, inspection_id, version)
                );
                CREATE UNIQUE INDEX record_current ON record(station_code, inspection_id) WHERE is_current = 1;
                CREATE INDEX record_vin ON record(vin) WHERE vin IS NOT NULL;
                CREATE INDEX record_batch ON record(batch_row);
                CREATE INDEX record_received ON record(received_at);
                CREATE TABLE blob (
                    sha256 TEXT PRIMARY KEY NOT NULL CHECK (length(sha256) = 64),
                    byte_count INTEGER NOT NULL CHECK (byte_count >= 0),
                    stored_at REAL NOT NULL
                );
                CREATE TABLE photo (
                    id INTEGER PRIMARY KEY,
                    record_row INTEGER NOT NULL REFERENCES record(id),
                    position INTEGER NOT NULL CHECK (position >= 0),
                    code TEXT,
                    file TEXT,
                    declared_taken_at REAL,
                    device TEXT,
                    blob_sha256 TEXT REFERENCES blob(sha256),
                    sound INTEGER NOT NULL CHECK (sound IN (0, 1)),
                    perceptual_hash INTEGER,
                    facts TEXT,
                    UNIQUE (record_row, position)
                );
                CREATE INDEX photo_blob ON photo(blob_sha256);
                CREATE TABLE finding (
                    id INTEGER PRIMARY KEY,
                    record_row INTEGER NOT NULL REFERENCES record(id),
                    position INTEGER NOT NULL,
                    rule TEXT NOT NULL,
                    severity TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'error')),
                    photo TEXT,
                    field TEXT,
                    message TEXT NOT NULL,
                    evidence TEXT NOT NULL,
                    UNIQUE (record_row, position)
                );
                CREATE INDEX finding_rule ON finding(rule);
                CREATE TABLE audit_log (
                    seq INTEGER PRIMARY KEY,
                    at REAL NOT NULL,
                    actor TEXT NOT NULL,
                    action TEXT NOT NULL,
                    subject TEXT,
                    detail TEXT NOT NULL,
                    prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),
                    hash TEXT NOT NULL UNIQUE CHECK (length(hash) = 64)
                );
                """)
            try PhotoHashIndex.createTable(db, referencing: "photo")
        }
        migrator.registerMigration("v2-review") { db in
            try db.execute(sql: """
                CREATE TABLE queue_item (
                    record_row INTEGER PRIMARY KEY REFERENCES record(id),
                    station_code TEXT NOT NULL REFERENCES station(code),
                    inspection_id TEXT NOT NULL,
                    priority INTEGER NOT NULL CHECK (priority IN (0, 1, 2)),
                    enqueued_at REAL NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('waiting', 'claimed', 'decided', 'superseded')),
                    claim_token TEXT,
                    claimed_by TEXT,
                    claimed_at REAL,
                    lease_until REAL,
                    CHECK ((state = 'claimed') = (claim_token IS NOT NULL AND claimed_by IS NOT NULL AND lease_until IS NOT NULL))
                );
                CREATE INDEX queue_waiting ON queue_item(priority, enqueued_at) WHERE state = 'waiting';
                CREATE INDEX queue_claimed ON queue_item(lease_until) WHERE state = 'claimed';
                CREATE TABLE queue_skip (
                    record_row INTEGER NOT NULL REFERENCES queue_item(record_row),
                    reviewer TEXT NOT NULL,
                    skipped_at REAL NOT NULL,
                    PRIMARY KEY (record_row, reviewer)
                );
                CREATE TABLE decision (
                    id INTEGER PRIMARY KEY,
                    record_row INTEGER NOT NULL REFERENCES record(id),
                    reviewer TEXT NOT NULL,
                    outcome TEXT NOT NULL CHECK (outcome IN ('approve', 'reject')),
                    reason_code TEXT,
                    note TEXT,
                    claimed_at REAL NOT NULL,
                    decided_at REAL NOT NULL,
                    review_ms REAL NOT NULL CHECK (review_ms >= 0),
                    undone_at REAL,
                    audit_seq INTEGER NOT NULL REFERENCES audit_log(seq),
                    CHECK (outcome = 'approve' OR reason_code IS NOT NULL)
                );
                CREATE INDEX decision_record ON decision(record_row);
                CREATE INDEX decision_reviewer ON decision(reviewer, decided_at);
                CREATE INDEX decision_time ON decision(decided_at);
                CREATE TABLE audit_head (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    seq INTEGER NOT NULL,
                    hash TEXT NOT NULL
                );
                INSERT INTO audit_head (id, seq, hash) SELECT 1, seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1;
                """)
        }
        migrator.registerMigration("v3-station-tokens") { db in
            // Bearer tokens for `via serve`: only the SHA-256 of a token is kept; a station may hold several
            // (rotation without downtime) and revoking marks them, so the history stays.
            try db.execute(sql: """
                CREATE TABLE station_token (
                    id INTEGER PRIMARY KEY,
                    station_code TEXT NOT NULL REFERENCES station(code),
                    token_sha256 TEXT NOT NULL UNIQUE CHECK (length(token_sha256) = 64),
                    label TEXT,
                    created_at REAL NOT NULL,
                    revoked_at REAL,
                    CHECK (revoked_at IS NULL OR revoked_at >= created_at)
                );
                CREATE INDEX station_token_station ON station_token(station_code);
                """)
        }
        migrator.registerMigration("v4-supervision-rollups") { db in
            // `via stats` over millions of records: per-hour, per-station counts kept by triggers in the transaction
            // that inserts the records and findings (records and findings are only ever inserted), so supervision
            // reads a few thousand rollup rows for whole hours and the records themselves only for the partial hours
            // at a window's ends. Covering indexes serve those edge reads and the decision figures.
            try db.execute(sql: """
                CREATE TABLE record_hour (
                    hour INTEGER NOT NULL,
                    station_code TEXT NOT NULL,
                    records INTEGER NOT NULL CHECK (records >= 0),
                    passed INTEGER NOT NULL,
                    returned INTEGER NOT NULL,
                    flagged INTEGER NOT NULL,
                    sampled INTEGER NOT NULL,
                    automatic INTEGER NOT NULL,
                    PRIMARY KEY (hour, station_code)
                ) WITHOUT ROWID;
                CREATE TRIGGER record_hour_count AFTER INSERT ON record BEGIN
                    INSERT INTO record_hour (hour, station_code, records, passed, returned, flagged, sampled, automatic)
                    VALUES (CAST(NEW.received_at / 3600 AS INTEGER), NEW.station_code, 1, NEW.status = 'passed',
                            NEW.status = 'returned', NEW.status = 'flagged', NEW.sampled,
                            NEW.status IN ('passed', 'returned') AND NEW.sampled = 0)
                    ON CONFLICT (hour, station_code) DO UPDATE SET
                        records = records + 1, passed = passed + excluded.passed, returned = returned + excluded.returned,
                        flagged = flagged + excluded.flagged, sampled = sampled + excluded.sampled,
                        automatic = automatic + excluded.automatic;
                END;
                INSERT INTO record_hour (hour, station_code, records, passed, returned, flagged, sampled, automatic)
                    SELECT CAST(received_at / 3600 AS INTEGER), station_code, count(*), sum(status = 'passed'),
                           sum(status = 'returned'), sum(status = 'flagged'), sum(sampled),
                           sum(status IN ('passed', 'returned') AND sampled = 0)
                    FROM record GROUP BY 1, 2;

                -- Records (not findings) per rule: a rule firing on three photos of one record counts once.
                CREATE TABLE finding_hour (
                    hour INTEGER NOT NULL,
                    station_code TEXT NOT NULL,
                    rule TEXT NOT NULL,
                    records INTEGER NOT NULL CHECK (records >= 0),
                    PRIMARY KEY (hour, station_code, rule)
                ) WITHOUT ROWID;
                CREATE TRIGGER finding_hour_count AFTER INSERT ON finding
                WHEN NEW.severity IN ('warning', 'error') AND NOT EXISTS (
                    SELECT 1 FROM finding f WHERE f.record_row = NEW.record_row AND f.rule = NEW.rule
                    AND f.severity IN ('warning', 'error') AND f.id <> NEW.id)
                BEGIN
                    INSERT INTO finding_hour (hour, station_code, rule, records)
                    SELECT CAST(r.received_at / 3600 AS INTEGER), r.station_code, NEW.rule, 1 FROM record r WHERE r.id = NEW.record_row
                    ON CONFLICT (hour, station_code, rule) DO UPDATE SET records = records + 1;
                END;
                INSERT INTO finding_hour (hour, station_code, rule, records)
                    SELECT CAST(r.received_at / 3600 AS INTEGER), r.station_code, f.rule, count(DISTINCT f.record_row)
                    FROM finding f JOIN record r ON r.id = f.record_row WHERE f.severity IN ('warning', 'error')
                    GROUP BY 1, 2, 3;

                DROP INDEX record_received;
                CREATE INDEX record_received ON record(received_at, status, sampled, station_code, started_at, finished_at);
                DROP INDEX decision_time;
                CREATE INDEX decision_time ON decision(decided_at, undone_at, outcome, review_ms, reviewer, record_row);
                CREATE INDEX queue_enqueued ON queue_item(enqueued_at, state);
                CREATE INDEX finding_record_rule ON finding(record_row, severity, rule);
                """)
        }
        migrator.registerMigration("v5-registry-revision") { db in
            // Every intake reads the station registry; a counter bumped by any change to it lets a process keep the
            // decoded registry until it really changes (stations are imported rarely, batches arrive all day).
            var sql = """
                CREATE TABLE registry_revision (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    revision INTEGER NOT NULL
                );
                INSERT INTO registry_revision (id, revision) VALUES (1, 1);

                """
            for table in ["station", "lane", "device"] {
                for event in ["INSERT", "UPDATE", "DELETE"] {
                    sql += """
                        CREATE TRIGGER \(table)_\(event.lowercased())_revision AFTER \(event) ON \(table) BEGIN
                            UPDATE registry_revision SET revision = revision + 1 WHERE id = 1;
                        END;

                        """
                }
            }
            try db.execute(sql: sql)
        }
        migrator.registerMigration("v6-decision-rollups") { db in
            // `via stats --by station|rule|hour` over months of decisions: per-hour counts of standing decisions by
            // station and by rule, kept by triggers like v4's. A decision is counted when it is made and taken back
            // when it is undone (the only change a decision ever sees); a record's findings are fixed before any
            // decision on it, so the rules a decision counts for cannot change afterwards.
            try db.execute(sql: """
                CREATE TABLE decision_hour (
                    hour INTEGER NOT NULL,
                    station_code TEXT NOT NULL,
                    decisions INTEGER NOT NULL CHECK (decisions >= 0),
                    rejections INTEGER NOT NULL CHECK (rejections >= 0 AND rejections <= decisions),
                    PRIMARY KEY (hour, station_code)
                ) WITHOUT ROWID;
                CREATE TRIGGER decision_hour_count AFTER INSERT ON decision WHEN NEW.undone_at IS NULL BEGIN
                    INSERT INTO decision_hour (hour, station_code, decisions, rejections)
                    SELECT CAST(NEW.decided_at / 3600 AS INTEGER), r.station_code, 1, NEW.outcome = 'reject'
                    FROM record r WHERE r.id = NEW.record_row
                    ON CONFLICT (hour, station_code) DO UPDATE SET
                        decisions = decisions + 1, rejections = rejections + excluded.rejections;
                END;
                CREATE TRIGGER decision_hour_undo AFTER UPDATE OF undone_at ON decision
                WHEN OLD.undone_at IS NULL AND NEW.undone_at IS NOT NULL BEGIN
                    UPDATE decision_hour SET decisions = decisions - 1, rejections = rejections - (NEW.outcome = 'reject')
                    WHERE hour = CAST(NEW.decided_at / 3600 AS INTEGER)
                      AND station_code = (SELECT station_code FROM record WHERE id = NEW.record_row);
                END;
                INSERT INTO decision_hour (hour, station_code, decisions, rejections)
                    SELECT CAST(d.decided_at / 3600 AS INTEGER), r.station_code, count(*), sum(d.outcome = 'reject')
                    FROM decision d JOIN record r ON r.id = d.record_row WHERE d.undone_at IS NULL GROUP BY 1, 2;

                -- Decisions on records a rule fired on (warnings and errors): how often reviewers overrode the rule.
                CREATE TABLE rule_decision_hour (
                    hour INTEGER NOT NULL,
                    rule TEXT NOT NULL,
                    decided INTEGER NOT NULL CHECK (decided >= 0),
                    approvals INTEGER NOT NULL CHECK (approvals >= 0),
                    rejections INTEGER NOT NULL CHECK (rejections >= 0 AND approvals + rejections = decided),
                    PRIMARY KEY (hour, rule)
                ) WITHOUT ROWID;
                CREATE TRIGGER rule_decision_hour_count AFTER INSERT ON decision WHEN NEW.undone_at IS NULL BEGIN
                    INSERT INTO rule_decision_hour (hour, rule, decided, approvals, rejections)
                    SELECT DISTINCT CAST(NEW.decided_at / 3600 AS INTEGER), f.rule, 1, NEW.outcome = 'approve', NEW.outcome = 'reject'
                    FROM finding f WHERE f.record_row = NEW.record_row AND f.severity IN ('warning', 'error')
                    ON CONFLICT (hour, rule) DO UPDATE SET decided = decided + 1,
                        approvals = approvals + excluded.approvals, rejections = rejections + excluded.rejections;
                END;
                CREATE TRIGGER rule_decision_hour_undo AFTER UPDATE OF undone_at ON decision
                WHEN OLD.undone_at IS NULL AND NEW.undone_at IS NOT NULL BEGIN
                    UPDATE rule_decision_hour SET decided = decided - 1, approvals = approvals - (NEW.outcome = 'approve'),
                        rejections = rejections - (NEW.outcome = 'reject')
                    WHERE hour = CAST(NEW.decided_at / 3600 AS INTEGER) AND rule IN (
                        SELECT f.rule FROM finding f WHERE f.record_row = NEW.record_row AND f.severity IN ('warning', 'error'));
                END;
                INSERT INTO rule_decision_hour (hour, rule, decided, approvals, rejections)
                    SELECT hour, rule, count(*), sum(outcome = 'approve'), sum(outcome = 'reject') FROM (
                        SELECT DISTINCT d.id, CAST(d.decided_at / 3600 AS INTEGER) AS hour, d.outcome, f.rule
                        FROM decision d JOIN finding f ON f.record_row = d.record_row AND f.severity IN ('warning', 'error')
                        WHERE d.undone_at IS NULL)
                    GROUP BY hour, rule;
                """)
        }
        migrator.registerMigration("v7-honest-records") { db in
            try HonestRecordsMigration.run(db)
        }
        return migrator
    }
}
