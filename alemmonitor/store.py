"""The durable local record: one SQLite file, one writer connection, append-only clinical rows.

Every open sets and verifies WAL journaling, synchronous=FULL, foreign keys and a busy timeout;
every write runs in `BEGIN IMMEDIATE` and a save returns to the caller only after its COMMIT
returned. Files that are not ours, corrupt, read-only or from a newer version are refused with a
message naming the file; nothing is ever overwritten or "repaired".
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from alemmonitor.clock import Clock, to_iso

if TYPE_CHECKING:
    import sqlite_utils
from alemmonitor.errors import StoreError
from alemmonitor.schema import (
    APPLICATION_ID,
    CLINICAL_TABLES,
    MIGRATIONS,
    SCHEMA_VERSION,
    TECHNICAL_TABLES,
)

BUSY_TIMEOUT_MS = 5000
PRAGMAS: dict[str, object] = {
    "journal_mode": "wal",
    "synchronous": 2,  # FULL
    "foreign_keys": 1,
    "busy_timeout": BUSY_TIMEOUT_MS,
}

Row = dict[str, Any]


def new_id() -> str:
    """A client-generated record id (random UUID)."""
    # Loaded when something is first written: with the `platform` module it loads, uuid would
    # add 3 ms to every start of the window, which only reads.
    import uuid  # noqa: PLC0415

    return str(uuid.uuid4())


class Store:
    """The record on disk. Thread-safe: one connection, writes serialised by a lock.

    Reads return the current view (`current_*` views: the latest version of each record, voided
    ones left out); `history` returns every version of a record.
    """

    def __init__(self, path: Path, connection: sqlite3.Connection, clock: Clock) -> None:
        self.path = path
        self.clock = clock
        self._conn = connection
        self._lock = threading.RLock()
        self._closed = False
        self._db: sqlite_utils.Database | None = None

    @property
    def db(self) -> sqlite_utils.Database:
        """The record through sqlite-utils, which does the inserts.

        Loaded at the first write, not at start: importing it takes a fifth of a second, and
        the ward is shown before anything is written.
        """
        with self._lock:
            if self._db is None:
                import sqlite_utils  # noqa: PLC0415 - see above

                self._db = sqlite_utils.Database(self._conn)
            return self._db

    @property
    def connection(self) -> sqlite3.Connection:
        """The one connection, for tests and tools that inspect the record; writes go through
        the store's methods, which hold its lock."""
        return self._conn

    # -- opening -----------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path, clock: Clock, *, create: bool = True) -> Store:
        """Open (and, when `create`, create or migrate) the record at `path`."""
        path = Path(path)
        exists = path.exists()
        if not exists and not create:
            raise StoreError(f"{path}: no such database")
        _check_writable(path, exists=exists)
        if not exists:
            path.parent.mkdir(parents=True, exist_ok=True)
        try:
            connection = sqlite3.connect(
                path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise StoreError(f"{path}: cannot be opened: {exc}") from exc
        try:
            _check_identity(path, connection)
            _set_pragmas(path, connection)
            _check_integrity(path, connection)
            _migrate(path, connection)
        except BaseException:
            connection.close()
            raise
        return cls(path, connection, clock)

    def close(self) -> None:
        """Close the connection (checkpointing the WAL into the main file)."""
        with self._lock:
            self._conn.close()
            self._closed = True

    @property
    def closed(self) -> bool:
        """Whether the record was closed (the app is ending): nothing reads or writes it now."""
        return self._closed

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def pragma(self, name: str) -> object:
        """The current value of a PRAGMA, as SQLite reports it."""
        with self._lock:
            return self._conn.execute(f"PRAGMA {name}").fetchone()[0]

    # -- writing -----------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic write: `BEGIN IMMEDIATE` ... `COMMIT`, rolled back on any error.

        Returns only after COMMIT returned, so leaving the block means the data is on disk.
        """
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise _store_error(self.path, "cannot start a write", exc) from exc
            try:
                yield self._conn
            except BaseException:
                self._conn.rollback()
                raise
            try:
                self._conn.execute("COMMIT")
            except sqlite3.Error as exc:
                self._conn.rollback()
                raise _store_error(self.path, "the save did not complete", exc) from exc

    def insert(self, table: str, row: Mapping[str, Any], by: str) -> Row:
        """Store one new record (in its own transaction); returns it as stored."""
        with self.transaction():
            return self.insert_in_transaction(table, row, by)

    def insert_in_transaction(self, table: str, row: Mapping[str, Any], by: str) -> Row:
        """Add one new record to the transaction that is open; returns it as stored."""
        record = dict(row)
        record.setdefault("id", new_id())
        record["root_id"] = record["id"]
        record["entered_at"] = to_iso(self.clock.now())
        record["entered_by"] = by
        self._insert(table, record)
        return self._stored(table, record["id"])

    def add_records(self, table: str, rows: list[dict[str, Any]], by: str) -> None:
        """Store several new rows in one transaction, e.g. a batch of monitor readings.

        Like `insert` for each row, without reading the rows back: this is the hot path.
        """
        if table not in CLINICAL_TABLES and table not in TECHNICAL_TABLES:
            raise ValueError(f"not a table of the record: {table!r}")
        entered_at = to_iso(self.clock.now())
        records = []
        for row in rows:
            record = dict(row)
            record.setdefault("id", new_id())
            if table in CLINICAL_TABLES:
                record["root_id"] = record["id"]
            record["entered_at"] = entered_at
            record["entered_by"] = by
            records.append(record)
        with self.transaction():
            self._insert_rows(table, records)

    def correct(
        self, table: str, row_id: str, changes: Mapping[str, Any], by: str, reason: str
    ) -> Row:
        """Supersede the current version `row_id` with a copy carrying `changes`."""
        with self.transaction():
            return self.correct_in_transaction(table, row_id, changes, by, reason)

    def correct_in_transaction(
        self,
        table: str,
        row_id: str,
        changes: Mapping[str, Any],
        by: str,
        reason: str,
        *,
        void: bool = False,
    ) -> Row:
        """Like `correct`, inside the transaction that is open; `void` retracts the record."""
        if not reason.strip():
            raise StoreError("a correction needs a reason")
        original = self._current_version(table, row_id)
        record = {k: v for k, v in original.items() if k not in _RECORD_FIELDS}
        record.update(changes)
        record.update(
            id=new_id(),
            root_id=original["root_id"],
            supersedes=original["id"],
            voided=1 if void else 0,
            entered_at=to_iso(self.clock.now()),
            entered_by=by,
            correction_reason=reason,
        )
        self._insert(table, record)
        return self._stored(table, record["id"])

    def _stored(self, table: str, row_id: str) -> Row:
        sql = f"SELECT * FROM {table} WHERE id = ?"  # noqa: S608 - table names are ours
        return self.query(sql, (row_id,))[0]

    def void(self, table: str, row_id: str, by: str, reason: str) -> Row:
        """Retract a record entered in error; it stays in the history."""
        with self.transaction():
            return self.correct_in_transaction(table, row_id, {}, by, reason, void=True)

    def log(self, action: str, by: str, detail: str | None = None) -> None:
        """Add a line to the audit trail for something that is not a clinical record."""
        with self.transaction():
            self.log_in_transaction(action, by, detail)

    def log_in_transaction(self, action: str, by: str, detail: str | None = None) -> None:
        """Like `log`, inside the transaction that is open."""
        entry = {
            "id": new_id(),
            "at": to_iso(self.clock.now()),
            "by": by,
            "action": action,
            "detail": detail,
        }
        self._insert_rows("audit", [entry])

    def _insert(self, table: str, record: Row) -> None:
        _check_table(table)
        self._insert_rows(table, [record])

    def _insert_rows(self, table: str, records: Sequence[Mapping[str, Any]]) -> None:
        """INSERT the records (a column a record lacks is NULL) in the transaction that is open."""
        columns = list(dict.fromkeys(column for record in records for column in record))
        try:
            # Every record with every column, so that sqlite-utils writes one statement for all.
            self.db.table(table).insert_all(
                ({column: record.get(column) for column in columns} for record in records),
                batch_size=max(1, len(records)),
            )
        except sqlite3.IntegrityError as exc:
            raise StoreError(f"{table}: refused by the record's rules: {exc}") from exc
        except sqlite3.Error as exc:
            raise _store_error(self.path, f"cannot store into {table}", exc) from exc

    def _current_version(self, table: str, row_id: str) -> Row:
        _check_table(table)
        rows = self.query(f"SELECT * FROM {table} WHERE id = ?", (row_id,))  # noqa: S608
        if not rows:
            raise StoreError(f"{table}: no record {row_id}")
        original = rows[0]
        sql = f"SELECT id FROM {table} WHERE supersedes = ?"  # noqa: S608 - table names are ours
        newer = self.query(sql, (row_id,))
        if newer:
            raise StoreError(f"{table}: record {row_id} was already corrected by {newer[0]['id']}")
        return original

    # -- reading -----------------------------------------------------------------------------

    def query(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> list[Row]:
        """Rows of a read-only query as dicts."""
        with self._lock:
            try:
                cursor = self._conn.execute(sql, params)
                if cursor.description is None:
                    raise ValueError(f"not a query (it returns no rows): {sql!r}")
                keys = _unique_keys(column[0] for column in cursor.description)
                return [dict(zip(keys, row, strict=True)) for row in cursor]
            except sqlite3.Error as exc:
                raise _store_error(self.path, "cannot read", exc) from exc

    def current(self, table: str, where: str = "1", params: tuple[Any, ...] = ()) -> list[Row]:
        """The current version of each record of `table` matching `where`."""
        _check_table(table)
        return self.query(f"SELECT * FROM current_{table} WHERE {where}", params)  # noqa: S608

    def current_by_root(self, table: str, root_id: str) -> Row | None:
        """The current version of the record whose first version is `root_id`."""
        rows = self.current(table, "root_id = ?", (root_id,))
        return rows[0] if rows else None

    def history(self, table: str, root_id: str) -> list[Row]:
        """Every version of a record, oldest first; the last is current unless it was voided."""
        _check_table(table)
        return self.query(
            f"SELECT * FROM {table} WHERE root_id = ? ORDER BY entered_at, rowid",  # noqa: S608
            (root_id,),
        )

    def audit_trail(self) -> list[Row]:
        """The audit trail, oldest first."""
        return self.query("SELECT * FROM audit ORDER BY seq")


_RECORD_FIELDS = frozenset(
    {"id", "root_id", "supersedes", "voided", "entered_at", "entered_by", "correction_reason"}
)


def _unique_keys(names: Iterable[str]) -> list[str]:
    """Column names as row keys; a name repeated by a join gets _2, _3, ... (none is lost)."""
    keys: list[str] = []
    taken = set()
    for name in names:
        key, number = name, 1
        while key in taken:
            number += 1
            key = f"{name}_{number}"
        keys.append(key)
        taken.add(key)
    return keys


def _check_table(table: str) -> None:
    if table not in CLINICAL_TABLES:
        raise ValueError(f"not a clinical table: {table!r}")


def _store_error(path: Path, what: str, exc: sqlite3.Error) -> StoreError:
    text = str(exc)
    if "readonly" in text or "read-only" in text:
        return StoreError(f"{path}: {what}: the file or its folder is read-only ({text})")
    if "locked" in text or "busy" in text:
        return StoreError(
            f"{path}: {what}: another program kept the database busy for more than "
            f"{BUSY_TIMEOUT_MS / 1000:g} s ({text})"
        )
    if "full" in text:
        return StoreError(f"{path}: {what}: the disk is full ({text})")
    return StoreError(f"{path}: {what}: {text}")


def _check_writable(path: Path, *, exists: bool) -> None:
    folder = path.parent if path.parent != Path() else Path.cwd()
    if exists and path.is_dir():
        raise StoreError(f"{path} is a folder, not a database file")
    if exists and not os.access(path, os.W_OK):
        raise StoreError(f"{path} is read-only (read-only medium or no write permission)")
    # WAL needs its -wal and -shm files beside the database.
    if folder.exists() and not os.access(folder, os.W_OK):
        raise StoreError(
            f"{path}: its folder {folder} is read-only (read-only medium or no write permission)"
        )


def _check_identity(path: Path, connection: sqlite3.Connection) -> None:
    try:
        application_id = connection.execute("PRAGMA application_id").fetchone()[0]
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        tables = connection.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path} is not an AlemMonitor database (not SQLite: {exc})") from exc
    if application_id == 0 and tables == 0 and version == 0:
        return  # a new, empty file: ours to set up
    if application_id != APPLICATION_ID:
        raise StoreError(f"{path} is an SQLite database of another program, not AlemMonitor's")
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path} was written by a newer AlemMonitor (schema version {version}); this version "
            f"reads up to schema version {SCHEMA_VERSION}. Install the newer version; the file "
            "has not been changed."
        )


def _set_pragmas(path: Path, connection: sqlite3.Connection) -> None:
    try:
        for name, value in PRAGMAS.items():
            connection.execute(f"PRAGMA {name} = {value}")
        actual = {name: connection.execute(f"PRAGMA {name}").fetchone()[0] for name in PRAGMAS}
    except sqlite3.Error as exc:
        raise _store_error(path, "cannot be set up", exc) from exc
    wrong = {name: value for name, value in actual.items() if value != PRAGMAS[name]}
    if wrong:
        found = ", ".join(
            f"{name}={value} (needs {PRAGMAS[name]})" for name, value in wrong.items()
        )
        raise StoreError(
            f"{path}: the database cannot be used safely here: {found}. "
            "Network drives and some removable media do not support the write-ahead log."
        )


def _check_integrity(path: Path, connection: sqlite3.Connection) -> None:
    try:
        result = [row[0] for row in connection.execute("PRAGMA quick_check")]
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path} is corrupt ({exc}); it has not been changed") from exc
    if result != ["ok"]:
        raise StoreError(f"{path} is corrupt; it has not been changed. First problem: {result[0]}")


def _migrate(path: Path, connection: sqlite3.Connection) -> None:
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    for target in range(version + 1, SCHEMA_VERSION + 1):
        script = MIGRATIONS[target - 1]
        try:
            connection.executescript(
                "BEGIN IMMEDIATE;\n"
                + script
                + f"\nPRAGMA application_id = {APPLICATION_ID};"
                + f"\nPRAGMA user_version = {target};\nCOMMIT;"
            )
        except sqlite3.Error as exc:
            if connection.in_transaction:
                connection.rollback()
            raise _store_error(path, f"cannot upgrade to schema version {target}", exc) from exc
