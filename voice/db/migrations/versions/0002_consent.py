"""Consent: each person's versioned choices of what is kept, and with whom it is shared.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from voice.db.schema import UtcDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("audio", sa.Boolean(), nullable=False),
        sa.Column("transcript", sa.Boolean(), nullable=False),
        sa.Column("wording_version", sa.String(32), nullable=False),
        sa.Column("agreed_at", UtcDateTime(), nullable=False),
        sa.Column("superseded_at", UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_consents_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consents")),
    )
    op.create_index("ix_consents_person_id", "consents", ["person_id"])
    op.create_table(
        "consent_shares",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consent_id", sa.Integer(), nullable=False),
        sa.Column("therapist_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["consent_id"],
            ["consents.id"],
            name=op.f("fk_consent_shares_consent_id_consents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["therapist_id"],
            ["therapists.id"],
            name=op.f("fk_consent_shares_therapist_id_therapists"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_shares")),
        sa.UniqueConstraint(
            "consent_id", "therapist_id", name=op.f("uq_consent_shares_consent_id")
        ),
    )


def downgrade() -> None:
    op.drop_table("consent_shares")
    op.drop_index("ix_consents_person_id", table_name="consents")
    op.drop_table("consents")
