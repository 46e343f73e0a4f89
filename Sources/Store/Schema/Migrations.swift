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
        return migrator
    }
}
