import GRDB

/// `v7-honest-records` (issue 14): re-tests, devices without EXIF, several reasons per rejection, the stations'
/// return feed and the review age limit.
enum HonestRecordsMigration {
    static func run(_ db: Database) throws {
        try rebuildRecordWithAttempt(db)
        try db.execute(sql: """
            -- SPEC §2: devices whose photos carry no EXIF, and where they burn their watermark.
            ALTER TABLE device ADD COLUMN exif INTEGER NOT NULL DEFAULT 1 CHECK (exif IN (0, 1));
            ALTER TABLE device ADD COLUMN watermark TEXT NOT NULL DEFAULT 'auto'
                CHECK (watermark IN ('top', 'bottom', 'none', 'auto'));

            -- SPEC §7: a rejection carries one or more reasons, each optionally tied to a photo code. The decision's
            -- reason_code keeps the first (the CHECK that a reject has one stays true).
            CREATE TABLE decision_reason (
                decision_id INTEGER NOT NULL REFERENCES decision(id),
                position INTEGER NOT NULL CHECK (position >= 0),
                code TEXT NOT NULL CHECK (length(code) > 0),
                photo TEXT,
                PRIMARY KEY (decision_id, position)
            ) WITHOUT ROWID;
            INSERT INTO decision_reason (decision_id, position, code, photo)
                SELECT id, 0, reason_code, NULL FROM decision WHERE reason_code IS NOT NULL;

            -- The return feed (GET /v1/returns): every record sent back to its station, automatically (returned) or by a
            -- reviewer (rejected), and rejections undone (withdrawn), in the order they happened. The sequence is the
            -- feed's cursor, so it survives restarts and never goes back.
            CREATE TABLE station_return (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                station_code TEXT NOT NULL REFERENCES station(code),
                record_row INTEGER NOT NULL REFERENCES record(id),
                kind TEXT NOT NULL CHECK (kind IN ('returned', 'rejected', 'withdrawn')),
                decision_id INTEGER REFERENCES decision(id),
                at REAL NOT NULL,
                CHECK ((kind = 'returned') = (decision_id IS NULL))
            );
            CREATE INDEX station_return_station ON station_return(station_code, seq);
            INSERT INTO station_return (station_code, record_row, kind, decision_id, at)
                SELECT station_code, record_row, kind, decision_id, at FROM (
                    SELECT r.station_code, r.id AS record_row, 'returned' AS kind, NULL AS decision_id, r.received_at AS at, r.id AS tie
                    FROM record r WHERE r.status = 'returned'
                    UNION ALL
                    SELECT r.station_code, d.record_row, 'rejected', d.id, d.decided_at, d.id FROM decision d
                    JOIN record r ON r.id = d.record_row WHERE d.outcome = 'reject'
                    UNION ALL
                    SELECT r.station_code, d.record_row, 'withdrawn', d.id, d.undone_at, d.id FROM decision d
                    JOIN record r ON r.id = d.record_row WHERE d.outcome = 'reject' AND d.undone_at IS NOT NULL)
                ORDER BY at, tie;

            -- SPEC §7: each item's age limit, fixed when it enters the queue (its rule set's sla_minutes); a decision
            -- keeps it, so supervision can tell how many were decided within it.
            ALTER TABLE queue_item ADD COLUMN due_at REAL;
            UPDATE queue_item SET due_at = enqueued_at + 600;
            CREATE INDEX queue_due ON queue_item(due_at) WHERE state = 'waiting';
            ALTER TABLE decision ADD COLUMN due_at REAL;
            UPDATE decision SET due_at = (SELECT q.enqueued_at + 600 FROM queue_item q WHERE q.record_row = decision.record_row);
            """)
    }

    /// The record's identity becomes (station, inspection_id, attempt) with versions counted per attempt (SPEC §3);
    /// SQLite cannot change a table's UNIQUE constraint in place, so the table is rebuilt (the documented twelve
    /// steps: new table, copy, drop, rename; other tables' references and triggers name `record` and stay valid).
    static func rebuildRecordWithAttempt(_ db: Database) throws {
        try db.execute(sql: "PRAGMA legacy_alter_table = ON")
        defer { try? db.execute(sql: "PRAGMA legacy_alter_table = OFF") }
        try db.execute(sql: """
            CREATE TABLE record_new (
                id INTEGER PRIMARY KEY,
                batch_row INTEGER NOT NULL REFERENCES batch(id),
                station_code TEXT NOT NULL REFERENCES station(code),
                inspection_id TEXT NOT NULL,
                attempt INTEGER NOT NULL DEFAULT 1 CHECK (attempt BETWEEN 1 AND 99),
                retest_of TEXT,
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
                UNIQUE (station_code, inspection_id, attempt, version)
            );
            INSERT INTO record_new (id, batch_row, station_code, inspection_id, attempt, retest_of, version, is_current, lane,
                                    plate, plate_type, vin, vehicle_type, use_type, category, started_at, started_offset,
                                    finished_at, finished_offset, odometer_km, status, sampled, rule_set_sha256, check_ms,
                                    raw, received_at)
                SELECT id, batch_row, station_code, inspection_id, 1, NULL, version, is_current, lane, plate, plate_type, vin,
                       vehicle_type, use_type, category, started_at, started_offset, finished_at, finished_offset,
                       odometer_km, status, sampled, rule_set_sha256, check_ms, raw, received_at
                FROM record;
            DROP TABLE record;
            ALTER TABLE record_new RENAME TO record;
            CREATE UNIQUE INDEX record_current ON record(station_code, inspection_id, attempt) WHERE is_current = 1;
            CREATE INDEX record_vin ON record(vin) WHERE vin IS NOT NULL;
            CREATE INDEX record_batch ON record(batch_row);
            CREATE INDEX record_received ON record(received_at, status, sampled, station_code, started_at, finished_at);
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
            """)
    }
}
