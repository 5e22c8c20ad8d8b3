"""structure version: every change of a site's categories, windows, window categories or posts
moves `sites.structure_version`, so a process may keep a copy of the hall's structure and know it
is current from the site row it reads (and locks) anyway

Triggers, not application code: a write from any process, any code path (the ORM, a Core
statement, psql by hand) moves the version in the same transaction, and takes the site row's
lock to do it (an issue holding that lock sees either the old structure with the old version or
the new with the new). A window's `priority_streak` moves on every call and is not structure.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-28 15:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

# (table, how a row names its site, columns whose update moves the version; None: all)
WATCHED = [
    ('categories', 'site_id', None),
    ('windows', 'site_id', ['site_id', 'number', 'name_zh', 'name_en', 'state', 'pause_reason',
                            'state_since', 'enabled']),
    ('window_categories', 'window_id', None),
    ('post_assignments', 'window_id', None),
]


def _sites(row: str, key: str) -> str:
    """The site ids a row of a watched table belongs to, as SQL (`row`: NEW or OLD)."""
    if key == 'site_id':
        return f'{row}.site_id'
    return f'(SELECT site_id FROM windows WHERE id = {row}.window_id)'


def upgrade() -> None:
    op.add_column('sites', sa.Column('structure_version', sa.Integer(), nullable=False,
                                     server_default='0'))
    if op.get_bind().dialect.name == 'postgresql':
        _postgresql_triggers()
    else:
        _sqlite_triggers()


def _bump(row: str, key: str) -> str:
    return (f'UPDATE sites SET structure_version = structure_version + 1 '
            f'WHERE id = {_sites(row, key)};')


def _sqlite_triggers() -> None:
    for table, key, columns in WATCHED:
        of = f' OF {", ".join(columns)}' if columns else ''
        op.execute(f'CREATE TRIGGER tr_{table}_structure_insert AFTER INSERT ON {table} '
                   f'BEGIN {_bump("NEW", key)} END')
        op.execute(f'CREATE TRIGGER tr_{table}_structure_delete AFTER DELETE ON {table} '
                   f'BEGIN {_bump("OLD", key)} END')
        # Both rows: a row moved to another window or site changes both structures.
        op.execute(f'CREATE TRIGGER tr_{table}_structure_update AFTER UPDATE{of} ON {table} '
                   f'BEGIN {_bump("OLD", key)} {_bump("NEW", key)} END')


def _postgresql_triggers() -> None:
    for table, key, columns in WATCHED:
        of = f' OF {", ".join(columns)}' if columns else ''
        op.execute(f"""
            CREATE FUNCTION {table}_structure() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP <> 'INSERT' THEN {_bump('OLD', key)} END IF;
                IF TG_OP <> 'DELETE' THEN {_bump('NEW', key)} END IF;
                RETURN NULL;
            END $$""")
        op.execute(f'CREATE TRIGGER tr_{table}_structure AFTER INSERT OR DELETE OR UPDATE{of} '
                   f'ON {table} FOR EACH ROW EXECUTE FUNCTION {table}_structure()')


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == 'postgresql'
    for table, _, _ in WATCHED:
        if postgresql:
            op.execute(f'DROP TRIGGER tr_{table}_structure ON {table}')
            op.execute(f'DROP FUNCTION {table}_structure()')
        else:
            for kind in ('insert', 'delete', 'update'):
                op.execute(f'DROP TRIGGER tr_{table}_structure_{kind}')
    with op.batch_alter_table('sites') as batch:
        batch.drop_column('structure_version')
