"""D7: the database itself refuses to change or delete an event.

On PostgreSQL, row triggers refuse UPDATE and DELETE (TRUNCATE, which only
an administrator of the database runs and the test suite uses to empty its
tables, is not a row operation). On the embedded SQLite a trigger refuses
UPDATE; SQLite empties tables with DELETE, so deletion there is refused by
the application alone.
"""

from django.db import migrations

POSTGRES_UP = """
CREATE OR REPLACE FUNCTION orders_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'orders_event is append-only (D7)';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER orders_event_no_update BEFORE UPDATE ON orders_event
    FOR EACH ROW EXECUTE FUNCTION orders_event_append_only();
CREATE TRIGGER orders_event_no_delete BEFORE DELETE ON orders_event
    FOR EACH ROW EXECUTE FUNCTION orders_event_append_only();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS orders_event_no_update ON orders_event;
DROP TRIGGER IF EXISTS orders_event_no_delete ON orders_event;
DROP FUNCTION IF EXISTS orders_event_append_only();
"""
SQLITE_UP = [
    """CREATE TRIGGER orders_event_no_update BEFORE UPDATE ON orders_event
       BEGIN SELECT RAISE(ABORT, 'orders_event is append-only (D7)'); END;""",
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS orders_event_no_update;"]


def install(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_UP)
    elif vendor == "sqlite":
        for statement in SQLITE_UP:
            schema_editor.execute(statement)
    else:
        raise RuntimeError(f"no append-only trigger for database {vendor}")


def remove(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_DOWN)
    elif vendor == "sqlite":
        for statement in SQLITE_DOWN:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("orders", "0004_candidate_unit")]

    operations = [migrations.RunPython(install, remove)]
