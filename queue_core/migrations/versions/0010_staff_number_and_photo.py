"""staff number and photo: what a window screen shows of the person at the window (姓名, 工号,
照片), each optional

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 10:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('staff') as batch:
        batch.add_column(sa.Column('staff_number', sa.String(16), nullable=True))
        batch.add_column(sa.Column('photo', sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column('photo_type', sa.String(16), nullable=True))
        batch.add_column(sa.Column('photo_key', sa.String(32), nullable=True))
        batch.create_index('ix_staff_photo_key', ['photo_key'], unique=True)


def downgrade() -> None:
    with op.batch_alter_table('staff') as batch:
        batch.drop_index('ix_staff_photo_key')
        batch.drop_column('photo_key')
        batch.drop_column('photo_type')
        batch.drop_column('photo')
        batch.drop_column('staff_number')
