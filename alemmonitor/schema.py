"""The database schema and its forward migrations.

Each migration is literal SQL that is never edited once released: migration N takes a file from
`PRAGMA user_version` N to N + 1. Clinical tables are append-only, enforced by triggers: a change is
a new row that `supersedes` the old one, with who, when and why; `root_id` names the first version
of the record, which is what other tables refer to. Every insert leaves a line in `audit`.
"""

from __future__ import annotations

APPLICATION_ID = 0x414C454D  # "ALEM": marks a file as an AlemMonitor record

# Tables whose rows are clinical records: append-only, corrected by superseding rows.
CLINICAL_TABLES = (
    "patients",
    "courses",
    "beds",
    "infusion_days",
    "events",
    "observations",
    "reactions",
    "notes",
    "monitor_links",
    "alarm_limits",
    "spo2_scales",
    "warning_checks",
    "followup_plans",
    "followup_skips",
    "lab_results",
)

# Append-only tables of technical facts, never corrected.
TECHNICAL_TABLES = ("device_events", "alarm_events")

# A random (version 4) UUID made by SQLite itself, for audit rows written by triggers.
_SQL_UUID4 = (
    "lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || "
    "substr(lower(hex(randomblob(2))), 2) || '-' || "
    "substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || "
    "lower(hex(randomblob(6)))"
)

_RECORD_COLUMNS = """
    id TEXT PRIMARY KEY NOT NULL,
    root_id TEXT NOT NULL,
    supersedes TEXT UNIQUE REFERENCES {table}(id),
    voided INTEGER NOT NULL DEFAULT 0 CHECK (voided IN (0, 1)),
    entered_at TEXT NOT NULL,
    entered_by TEXT NOT NULL CHECK (length(trim(entered_by)) > 0),
    correction_reason TEXT,
    CHECK (supersedes IS NULL OR length(trim(coalesce(correction_reason, ''))) > 0),
    CHECK (voided = 0 OR supersedes IS NOT NULL)"""


def _clinical_table(table: str, columns: str, constraints: str = "") -> str:
    """DDL of one clinical table with its append-only and audit triggers and current view.

    `constraints` are table constraints across the table's own columns (SQLite wants them after
    every column, the record's too).
    """
    record = _RECORD_COLUMNS.format(table=table)
    checks = f",{constraints.rstrip()}" if constraints.strip() else ""
    return f"""
CREATE TABLE {table} ({columns.rstrip()},{record}{checks}
);
CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
BEGIN SELECT RAISE(ABORT, '{table} is append-only: record a correction instead'); END;
CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
BEGIN SELECT RAISE(ABORT, '{table} is append-only: record a correction instead'); END;
CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table}
WHEN EXISTS (SELECT 1 FROM {table} WHERE id = NEW.id OR supersedes = NEW.supersedes)
BEGIN SELECT RAISE(ABORT, '{table} is append-only: a record cannot be replaced'); END;
CREATE TRIGGER {table}_root_of_original BEFORE INSERT ON {table}
WHEN NEW.supersedes IS NULL AND NEW.root_id IS NOT NEW.id
BEGIN SELECT RAISE(ABORT, '{table}: a new record is its own root'); END;
CREATE TRIGGER {table}_root_of_correction BEFORE INSERT ON {table}
WHEN NEW.supersedes IS NOT NULL AND NEW.root_id IS NOT
    (SELECT root_id FROM {table} WHERE id = NEW.supersedes)
BEGIN SELECT RAISE(ABORT, '{table}: a correction keeps the root of what it corrects'); END;
CREATE VIEW current_{table} AS
    SELECT * FROM {table} AS r
    WHERE r.voided = 0 AND NOT EXISTS (SELECT 1 FROM {table} AS c WHERE c.supersedes = r.id);
"""


def _audited(table: str, when: str = "") -> str:
    condition = f"WHEN {when}" if when else ""
    return f"""
CREATE TRIGGER {table}_audit AFTER INSERT ON {table} {condition}
BEGIN
    INSERT INTO audit (id, at, by, action, table_name, row_id, detail)
    VALUES ({_SQL_UUID4}, NEW.entered_at, NEW.entered_by,
            CASE WHEN NEW.supersedes IS NULL THEN 'record'
                 WHEN NEW.voided = 1 THEN 'void' ELSE 'correct' END,
            '{table}', NEW.id,
            CASE WHEN NEW.supersedes IS NULL THEN NULL
                 ELSE 'supersedes ' || NEW.supersedes || ': ' || NEW.correction_reason END);
END;
"""


_V1 = (
    """
CREATE TABLE audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    at TEXT NOT NULL,
    by TEXT NOT NULL,
    action TEXT NOT NULL,
    table_name TEXT,
    row_id TEXT,
    detail TEXT
);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
-- INSERT OR REPLACE deletes the clashing row without delete triggers unless recursive_triggers
-- is on, which other programs' connections do not set: refuse the clash before it happens.
CREATE TRIGGER audit_no_replace BEFORE INSERT ON audit
WHEN EXISTS (SELECT 1 FROM audit WHERE seq = NEW.seq OR id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
"""
    + _clinical_table(
        "patients",
        """
    hospital_id TEXT NOT NULL CHECK (length(trim(hospital_id)) > 0),
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    date_of_birth TEXT NOT NULL,
    sex TEXT CHECK (sex IN ('female', 'male', 'other', 'unknown')),
    weight_kg REAL CHECK (weight_kg IS NULL OR weight_kg > 0)""",
    )
    + "CREATE INDEX patients_hospital_id ON patients (hospital_id);\n"
    + _audited("patients")
    + _clinical_table(
        "beds",
        """
    label TEXT NOT NULL CHECK (length(trim(label)) > 0),
    position INTEGER NOT NULL""",
    )
    + _audited("beds")
    + _clinical_table(
        "courses",
        """
    patient_id TEXT NOT NULL REFERENCES patients(id),
    number INTEGER NOT NULL CHECK (number >= 1),
    start_date TEXT NOT NULL,
    days INTEGER NOT NULL CHECK (days >= 1)""",
    )
    + "CREATE INDEX courses_patient ON courses (patient_id);\n"
    + _audited("courses")
    + _clinical_table(
        "infusion_days",
        """
    course_id TEXT NOT NULL REFERENCES courses(id),
    day_number INTEGER NOT NULL CHECK (day_number >= 1),
    date TEXT NOT NULL,
    bed_id TEXT REFERENCES beds(id),
    planned_start TEXT NOT NULL,
    protocol_id TEXT NOT NULL""",
    )
    + "CREATE INDEX infusion_days_date ON infusion_days (date);\n"
    + _audited("infusion_days")
    + _clinical_table(
        "events",
        """
    day_id TEXT NOT NULL REFERENCES infusion_days(id),
    kind TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    task TEXT,
    drug TEXT,
    dose REAL,
    unit TEXT,
    route TEXT,
    batch TEXT,
    performed_by TEXT NOT NULL CHECK (length(trim(performed_by)) > 0),
    checked_by TEXT,
    rate_ml_h REAL,
    reason TEXT""",
    )
    + "CREATE INDEX events_day ON events (day_id, occurred_at);\n"
    + _audited("events")
    + _clinical_table(
        "observations",
        """
    day_id TEXT REFERENCES infusion_days(id),
    bed_id TEXT REFERENCES beds(id),
    set_id TEXT,
    parameter TEXT NOT NULL,
    value REAL NOT NULL,
    unit TEXT NOT NULL,
    measured_at TEXT NOT NULL,
    received_at TEXT NOT NULL,
    source TEXT NOT NULL""",
    )
    + "CREATE INDEX observations_day ON observations (day_id, parameter, measured_at);\n"
    + "CREATE INDEX observations_bed ON observations (bed_id, measured_at);\n"
    # Device streams would flood the trail; manual entries and every correction are audited.
    + _audited("observations", "NEW.source = 'manual' OR NEW.supersedes IS NOT NULL")
    + _clinical_table(
        "reactions",
        """
    day_id TEXT NOT NULL REFERENCES infusion_days(id),
    term TEXT NOT NULL,
    ctcae_version TEXT NOT NULL,
    grade INTEGER NOT NULL CHECK (grade BETWEEN 1 AND 5),
    onset_at TEXT NOT NULL,
    resolved_at TEXT,
    actions TEXT NOT NULL DEFAULT '[]',
    note TEXT""",
    )
    + _audited("reactions")
    + _clinical_table(
        "notes",
        """
    patient_id TEXT NOT NULL REFERENCES patients(id),
    day_id TEXT REFERENCES infusion_days(id),
    written_at TEXT NOT NULL,
    text TEXT NOT NULL CHECK (length(trim(text)) > 0)""",
    )
    + _audited("notes")
    + """
CREATE VIEW medication_administrations AS
    SELECT e.root_id AS id, e.day_id, e.kind, e.task, e.drug, e.dose, e.unit, e.route, e.batch,
           e.occurred_at, e.performed_by AS given_by, e.checked_by, e.rate_ml_h
    FROM current_events AS e
    WHERE e.kind IN ('premedication_given', 'steroid_started', 'infusion_started');
"""
)

_V2 = """
-- The monitor's own clock, kept beside the laptop's (which is the record's clock).
ALTER TABLE observations ADD COLUMN device_time TEXT;

-- What happened on a monitor link: connected, silent, port lost, bursts of bad frames, ...
-- Technical facts, append-only like everything else; the alarms read them.
CREATE TABLE device_events (
    id TEXT PRIMARY KEY NOT NULL,
    at TEXT NOT NULL,
    bed_id TEXT REFERENCES beds(id),
    day_id TEXT REFERENCES infusion_days(id),
    protocol TEXT NOT NULL,
    port TEXT NOT NULL,
    state TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    entered_at TEXT NOT NULL,
    entered_by TEXT NOT NULL
);
CREATE INDEX device_events_bed ON device_events (bed_id, at);
CREATE TRIGGER device_events_no_update BEFORE UPDATE ON device_events
BEGIN SELECT RAISE(ABORT, 'device_events is append-only'); END;
CREATE TRIGGER device_events_no_delete BEFORE DELETE ON device_events
BEGIN SELECT RAISE(ABORT, 'device_events is append-only'); END;
CREATE TRIGGER device_events_no_replace BEFORE INSERT ON device_events
WHEN EXISTS (SELECT 1 FROM device_events WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'device_events is append-only'); END;
"""

# Which monitor (protocol and port) feeds which chair, kept so that the choice survives a restart
# and the record says who connected it when. The chair's link is its current row; a new monitor
# supersedes it ("monitor changed"), unassigning voids it with the nurse's reason. `settings`
# holds the site's overrides of the protocol's serial line settings as a JSON object.
_V3 = (
    _clinical_table(
        "monitor_links",
        """
    bed_id TEXT NOT NULL REFERENCES beds(id),
    protocol TEXT NOT NULL CHECK (length(trim(protocol)) > 0),
    port TEXT NOT NULL CHECK (length(trim(port)) > 0),
    settings TEXT NOT NULL DEFAULT '{}'
        CHECK (json_valid(settings) AND json_type(settings) = 'object')""",
    )
    + "CREATE INDEX monitor_links_bed ON monitor_links (bed_id);\n"
    + _audited("monitor_links")
)

# Alarms. A patient's own limits replace one level of the site's (`value` NULL switches a level
# off); NEWS2's SpO2 scale 2 is prescribed per patient; both need a reason. The warning checklist
# (stroke, dissection, cardiac, pulmonary haemorrhage) keeps each answer and what the nurse was
# told to do. The alarm log is a technical table: every start, escalation, acknowledgement, latch,
# end and audio pause.
_V4 = (
    _clinical_table(
        "alarm_limits",
        """
    patient_id TEXT NOT NULL REFERENCES patients(id),
    parameter TEXT NOT NULL,
    side TEXT NOT NULL CHECK (side IN ('low', 'high')),
    priority TEXT NOT NULL CHECK (priority IN ('low', 'medium', 'high')),
    value REAL CHECK (value IS NOT NULL OR priority != 'high'),
    reason TEXT NOT NULL CHECK (length(trim(reason)) > 0)""",
    )
    + "CREATE INDEX alarm_limits_patient ON alarm_limits (patient_id);\n"
    + _audited("alarm_limits")
    + _clinical_table(
        "spo2_scales",
        """
    patient_id TEXT NOT NULL REFERENCES patients(id),
    scale INTEGER NOT NULL CHECK (scale IN (1, 2)),
    reason TEXT NOT NULL CHECK (length(trim(reason)) > 0)""",
    )
    + "CREATE INDEX spo2_scales_patient ON spo2_scales (patient_id);\n"
    + _audited("spo2_scales")
    + _clinical_table(
        "warning_checks",
        """
    day_id TEXT NOT NULL REFERENCES infusion_days(id),
    checked_at TEXT NOT NULL,
    trigger TEXT NOT NULL CHECK (length(trim(trigger)) > 0),
    answers TEXT NOT NULL CHECK (json_valid(answers) AND json_type(answers) = 'object'),
    positive INTEGER NOT NULL CHECK (positive IN (0, 1)),
    advice TEXT NOT NULL""",
    )
    + "CREATE INDEX warning_checks_day ON warning_checks (day_id);\n"
    + _audited("warning_checks")
    + """
CREATE TABLE alarm_events (
    id TEXT PRIMARY KEY NOT NULL,
    at TEXT NOT NULL,
    action TEXT NOT NULL,
    alarm_id TEXT,
    bed_id TEXT REFERENCES beds(id),
    day_id TEXT REFERENCES infusion_days(id),
    alarm_key TEXT,
    kind TEXT,
    priority TEXT,
    message TEXT NOT NULL DEFAULT '',
    value REAL,
    by TEXT NOT NULL,
    entered_at TEXT NOT NULL,
    entered_by TEXT NOT NULL
);
CREATE INDEX alarm_events_day ON alarm_events (day_id, at);
CREATE TRIGGER alarm_events_no_update BEFORE UPDATE ON alarm_events
BEGIN SELECT RAISE(ABORT, 'alarm_events is append-only'); END;
CREATE TRIGGER alarm_events_no_delete BEFORE DELETE ON alarm_events
BEGIN SELECT RAISE(ABORT, 'alarm_events is append-only'); END;
CREATE TRIGGER alarm_events_no_replace BEFORE INSERT ON alarm_events
WHEN EXISTS (SELECT 1 FROM alarm_events WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'alarm_events is append-only'); END;
"""
)

# Blood results and the follow-up after a course. A follow-up plan is laid out when a course ends
# (its last day's infusion ended, or the nurse ended it early with a reason): its anchors and the
# site's schedule as it was then, so that a later change of the site's plan does not move the
# dates a patient was given. A slot of the plan ("blood_count:2027-01-16") is closed by results
# entered against it, or skipped with a reason. A result keeps the value in the stored unit (with
# '<' or '>' when the report gave a limit), what was typed, the reference range it was read
# against, where it was sampled (before or after the steroid, after alemtuzumab, follow-up), the
# protocol step or follow-up slot it answers, and its CTCAE grade with the version and the advice
# shown for a graded count.
_V5 = (
    _clinical_table(
        "followup_plans",
        """
    patient_id TEXT NOT NULL REFERENCES patients(id),
    course_id TEXT NOT NULL REFERENCES courses(id),
    course_number INTEGER NOT NULL CHECK (course_number >= 1),
    first_infusion_on TEXT NOT NULL,
    last_infusion_on TEXT NOT NULL CHECK (last_infusion_on >= first_infusion_on),
    ended_early INTEGER NOT NULL DEFAULT 0 CHECK (ended_early IN (0, 1)),
    reason TEXT,
    ended_by_event TEXT REFERENCES events(id),
    schedule TEXT NOT NULL CHECK (json_valid(schedule) AND json_type(schedule) = 'object')""",
        """
    CHECK (ended_early = 0 OR length(trim(coalesce(reason, ''))) > 0)""",
    )
    + "CREATE INDEX followup_plans_patient ON followup_plans (patient_id);\n"
    + _audited("followup_plans")
    + _clinical_table(
        "followup_skips",
        """
    plan_id TEXT NOT NULL REFERENCES followup_plans(id),
    slot TEXT NOT NULL CHECK (length(trim(slot)) > 0),
    reason TEXT NOT NULL CHECK (length(trim(reason)) > 0)""",
    )
    + "CREATE INDEX followup_skips_plan ON followup_skips (plan_id);\n"
    + _audited("followup_skips")
    + _clinical_table(
        "lab_results",
        """
    patient_id TEXT NOT NULL REFERENCES patients(id),
    course_id TEXT REFERENCES courses(id),
    day_id TEXT REFERENCES infusion_days(id),
    sample_id TEXT NOT NULL,
    analyte TEXT NOT NULL CHECK (length(trim(analyte)) > 0),
    value REAL,
    comparator TEXT CHECK (comparator IS NULL OR comparator IN ('<', '<=', '>', '>=')),
    unit TEXT,
    finding TEXT CHECK (finding IS NULL OR finding IN ('unremarkable', 'abnormal')),
    typed TEXT,
    reference_low REAL,
    reference_high REAL,
    sampled_at TEXT NOT NULL,
    sampling_point TEXT NOT NULL CHECK (sampling_point IN
        ('before_steroid', 'after_steroid', 'after_alemtuzumab', 'follow_up')),
    task TEXT,
    plan_id TEXT REFERENCES followup_plans(id),
    slot TEXT,
    ctcae_term TEXT,
    ctcae_version TEXT,
    grade INTEGER CHECK (grade IS NULL OR grade BETWEEN 1 AND 5),
    advice TEXT,
    note TEXT""",
        """
    CHECK ((value IS NULL) != (finding IS NULL)),
    CHECK (value IS NULL OR unit IS NOT NULL),
    CHECK ((ctcae_term IS NULL) = (grade IS NULL)),
    CHECK ((ctcae_term IS NULL) = (ctcae_version IS NULL)),
    CHECK (slot IS NULL OR plan_id IS NOT NULL)""",
    )
    + "CREATE INDEX lab_results_patient ON lab_results (patient_id, sampled_at);\n"
    + "CREATE INDEX lab_results_day ON lab_results (day_id);\n"
    + "CREATE INDEX lab_results_slot ON lab_results (plan_id, slot);\n"
    + _audited("lab_results")
)

# An alarm's message kept as a translatable text too (JSON of `texts.text_as_json`), so that a
# report in another language reads it in that language; `message` stays the English words.
_V6 = """
ALTER TABLE alarm_events ADD COLUMN message_text TEXT
    CHECK (message_text IS NULL OR json_valid(message_text));
"""

MIGRATIONS: tuple[str, ...] = (_V1, _V2, _V3, _V4, _V5, _V6)
"""MIGRATIONS[n] takes a database from schema version n to n + 1."""

SCHEMA_VERSION = len(MIGRATIONS)
