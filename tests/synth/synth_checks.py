"""Checks over a generated council, run straight on its files with DuckDB (independent of the generator).

``violations`` lists every row that breaks an ordering a real council's data could never break: an event
before the child was born or after the extract date, an end before its start, a visit outside the plan it
was made under, a recording before the event it records. ``rates`` measures the headline figures the
generator is calibrated to, the way DfE counts them.
"""

from __future__ import annotations

import functools
from datetime import date
from pathlib import Path

import duckdb

from casewatch.data.contract import TABLES

AS_AT = date(2026, 10, 30)


def connect(folder: Path) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with one table per generated file, typed as the contract says."""
    con = duckdb.connect(config={"threads": 1})
    for name, spec in TABLES.items():
        csv = folder / f"{name}.csv"
        parquet = folder / f"{name}.parquet"
        if parquet.exists():
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM read_parquet('{parquet}')")
        elif csv.exists():
            types = {
                "string": "VARCHAR",
                "date": "DATE",
                "datetime": "TIMESTAMP",
                "bool": "VARCHAR",
                "int": "BIGINT",
                "float": "DOUBLE",
            }
            columns = ", ".join(f"'{c.name}': '{types[c.type]}'" for c in spec.columns)
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM read_csv('{csv}', header=true, columns={{{columns}}})")
    return con


def _person_fk(spec_name: str) -> str | None:
    spec = TABLES[spec_name]
    for fk in spec.foreign_keys:
        if fk.ref_table == "ssd_person":
            return fk.column
    return None


# Containment rules: (label, SQL selecting offending rows).
_CONTAINED = {
    "CP visit outside its plan": """
        SELECT v.cppv_cp_visit_id FROM ssd_cp_visits v JOIN ssd_cp_plans p ON v.cppv_cp_plan_id = p.cppl_cp_plan_id
        WHERE v.cppv_cp_visit_date < p.cppl_cp_plan_start_date
           OR v.cppv_cp_visit_date > coalesce(p.cppl_cp_plan_end_date, DATE '{as_at}')""",
    "CIN visit outside its plan": """
        SELECT v.cinv_cin_visit_id FROM ssd_cin_visits v JOIN ssd_cin_plans p ON v.cinv_cin_plan_id = p.cinp_cin_plan_id
        WHERE v.cinv_cin_visit_date < p.cinp_cin_plan_start_date
           OR v.cinv_cin_visit_date > coalesce(p.cinp_cin_plan_end_date, DATE '{as_at}')""",
    "CLA visit outside its period of care": """
        WITH periods AS (SELECT clae_cla_id, min(clae_entered_care_date) AS s,
                                max(coalesce(clae_cla_episode_ceased_date, DATE '{as_at}')) AS e
                         FROM ssd_cla_episodes GROUP BY 1)
        SELECT v.clav_cla_visit_id FROM ssd_cla_visits v JOIN periods p ON v.clav_cla_id = p.clae_cla_id
        WHERE v.clav_cla_visit_date < p.s OR v.clav_cla_visit_date > p.e""",
    "plan outside its episode": """
        SELECT x.id FROM (
            SELECT cppl_cp_plan_id AS id, cppl_referral_id AS r, cppl_cp_plan_start_date AS s,
                   cppl_cp_plan_end_date AS e FROM ssd_cp_plans
            UNION ALL SELECT cinp_cin_plan_id, cinp_referral_id, cinp_cin_plan_start_date, cinp_cin_plan_end_date
                      FROM ssd_cin_plans
            UNION ALL SELECT clae_cla_episode_id, clae_referral_id, clae_cla_episode_start_date,
                             clae_cla_episode_ceased_date FROM ssd_cla_episodes) x
        JOIN ssd_cin_episodes c ON x.r = c.cine_referral_id
        WHERE x.s < c.cine_referral_date
           OR (c.cine_close_date IS NOT NULL AND coalesce(x.e, DATE '{as_at}') > c.cine_close_date)""",
    "assessment or enquiry before its referral": """
        SELECT a.cina_assessment_id FROM ssd_cin_assessments a JOIN ssd_cin_episodes c
          ON a.cina_referral_id = c.cine_referral_id WHERE a.cina_assessment_start_date < c.cine_referral_date
        UNION ALL
        SELECT s.s47e_s47_enquiry_id FROM ssd_s47_enquiry s JOIN ssd_cin_episodes c
          ON s.s47e_referral_id = c.cine_referral_id WHERE s.s47e_s47_start_date < c.cine_referral_date""",
    "allocation outside its episode": """
        SELECT i.invo_involvements_id FROM ssd_involvements i JOIN ssd_cin_episodes c
          ON i.invo_referral_id = c.cine_referral_id
        WHERE i.invo_professional_role_id = 'SW' AND (i.invo_involvement_start_date < c.cine_referral_date
           OR (c.cine_close_date IS NOT NULL
               AND coalesce(i.invo_involvement_end_date, DATE '{as_at}') > c.cine_close_date))""",
    "ICPC before the strategy discussion or after its plan started": """
        SELECT i.icpc_icpc_id FROM ssd_initial_cp_conference i
        JOIN ssd_s47_enquiry s ON i.icpc_s47_enquiry_id = s.s47e_s47_enquiry_id
        LEFT JOIN ssd_cp_plans p ON i.icpc_cp_plan_id = p.cppl_cp_plan_id
        WHERE i.icpc_icpc_date < s.s47e_s47_start_date OR p.cppl_cp_plan_start_date < i.icpc_icpc_date""",
    "placement outside its period of care": """
        WITH periods AS (SELECT clae_cla_id, min(clae_entered_care_date) AS s,
                                max(coalesce(clae_cla_episode_ceased_date, DATE '{as_at}')) AS e
                         FROM ssd_cla_episodes GROUP BY 1)
        SELECT c.clap_cla_placement_id FROM ssd_cla_placement c JOIN periods p ON c.clap_cla_id = p.clae_cla_id
        WHERE c.clap_cla_placement_start_date < p.s
           OR coalesce(c.clap_cla_placement_end_date, DATE '{as_at}') > p.e""",
    "return interview before the return": """
        SELECT r.rhi_id FROM ext_return_interviews r JOIN ssd_missing m ON r.rhi_missing_id = m.miss_table_id
        WHERE m.miss_missing_episode_end_date IS NULL OR r.rhi_offered_datetime < m.miss_missing_episode_end_date""",
}


def violations(folder: Path, as_at: date) -> dict[str, int]:
    """Rule -> number of offending rows, for every rule broken (an empty dict means a coherent council)."""
    con = connect(folder)
    found: dict[str, int] = {}

    def count(label: str, sql: str) -> None:
        n = con.execute(f"SELECT count(*) FROM ({sql})").fetchone()
        if n and n[0]:
            found[label] = int(n[0])

    for name, spec in TABLES.items():
        if not ((folder / f"{name}.csv").exists() or (folder / f"{name}.parquet").exists()):
            continue
        person = _person_fk(name)
        for col in spec.columns:
            if col.type not in ("date", "datetime"):
                continue
            day = f"CAST({col.name} AS DATE)"
            if not col.may_be_future:
                count(f"{name}.{col.name} after as_at", f"SELECT 1 FROM {name} WHERE {day} > DATE '{as_at}'")
            if person and not col.may_predate_1950:
                count(
                    f"{name}.{col.name} before birth",
                    f"SELECT 1 FROM {name} t JOIN ssd_person p ON t.{person} = p.pers_person_id "
                    f"WHERE {day} < p.pers_dob",
                )
        for order in spec.orderings:
            later = order.later
            if "." in order.earlier:
                ref_table, ref_col = order.earlier.split(".")
                fk = next(f for f in spec.foreign_keys if f.ref_table == ref_table)
                sql = (
                    f"SELECT 1 FROM {name} t JOIN {ref_table} r ON t.{fk.column} = r.{fk.ref_column} "
                    f"WHERE CAST(t.{later} AS TIMESTAMP) < CAST(r.{ref_col} AS TIMESTAMP)"
                )
            else:
                sql = f"SELECT 1 FROM {name} WHERE CAST({later} AS TIMESTAMP) < CAST({order.earlier} AS TIMESTAMP)"
            count(f"{name}: {order.later} before {order.earlier}", sql)
        if spec.primary_key:
            pk = spec.primary_key
            count(f"{name}: duplicate {pk}", f"SELECT {pk} FROM {name} GROUP BY 1 HAVING count(*) > 1")
    for label, sql in _CONTAINED.items():
        count(label, sql.format(as_at=as_at))
    return found


@functools.cache
def rates(folder: Path, as_at: date, population: int) -> dict[str, float]:
    """Headline rates per 10,000 children, measured from the files as DfE would count them."""
    con = connect(folder)
    year_ago = f"DATE '{as_at}' - INTERVAL 365 DAY"
    queries = {
        "referrals": f"SELECT count(*) FROM ssd_cin_episodes WHERE cine_referral_date > {year_ago}",
        "s47_enquiries": f"SELECT count(*) FROM ssd_s47_enquiry WHERE s47e_s47_start_date > {year_ago}",
        "icpcs": f"SELECT count(*) FROM ssd_initial_cp_conference WHERE icpc_icpc_date > {year_ago}",
        "children_in_need": "SELECT count(DISTINCT cine_person_id) FROM ssd_cin_episodes WHERE cine_close_date IS NULL",
        "cp_plans": "SELECT count(DISTINCT cppl_person_id) FROM ssd_cp_plans WHERE cppl_cp_plan_end_date IS NULL",
        "looked_after": "SELECT count(DISTINCT clae_person_id) FROM ssd_cla_episodes "
        "WHERE clae_cla_episode_ceased_date IS NULL",
        "started_looked_after": "SELECT count(DISTINCT clae_cla_id) FROM ssd_cla_episodes "
        f"WHERE clae_entered_care_date > {year_ago}",
    }
    out = {}
    for key, sql in queries.items():
        row = con.execute(sql).fetchone()
        out[key] = float(row[0] if row else 0) * 10_000 / population
    return out
