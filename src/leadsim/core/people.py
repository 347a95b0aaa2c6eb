"""People: engagement, competence, alignment, adoption of automation, leaving and development levels.

Engagement follows the job demands–resources model (Bakker & Demerouti 2007): resources pull it
up toward 1, demands pull it down toward 0, peers on the informal network pull it toward their
mean (emotional contagion), plus a little noise. The quit hazard rises exponentially as
engagement falls below a reference level.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from leadsim.core.engine import Engine

SITUATIONAL_LEVELS = ("S1", "S2", "S3", "S4")


def development_level(engine: Engine) -> np.ndarray:
    """Hersey–Blanchard development level per person, 0..3 for D1..D4, shape (R, N).

    D1 low competence, high commitment; D2 low, low; D3 high competence, low commitment; D4 high, high.
    """
    cuts = engine.scenario.leadership.situational
    competent = engine.competence >= cuts.competence_cut
    committed = engine.engagement >= cuts.commitment_cut
    return np.where(competent, np.where(committed, 3, 2), np.where(committed, 0, 1))


def situational_rows(engine: Engine) -> dict[str, np.ndarray]:
    """The S1–S4 responses as arrays indexed by development level."""
    levels = engine.scenario.leadership.situational
    rows = [getattr(levels, name) for name in SITUATIONAL_LEVELS]
    return {
        key: np.asarray([getattr(row, key) for row in rows])
        for key in ("authority_threshold", "direction", "support", "coaching_share")
    }


def peer_mean(engine: Engine, values: np.ndarray, present: np.ndarray) -> np.ndarray:
    """Mean of ``values`` over each person's present neighbours; own value where there are none."""
    flat_present = present.ravel().astype(float)
    sums = engine.network @ (values.ravel() * flat_present)
    counts = engine.network @ flat_present
    mean = np.where(counts > 0, sums / np.maximum(counts, 1e-12), values.ravel())
    return mean.reshape(values.shape)


def update_engagement(
    engine: Engine,
    present: np.ndarray,
    levers: dict[str, np.ndarray],
    autonomy: np.ndarray,
    blocked: np.ndarray,
    effects,
    u_noise: np.ndarray,
) -> None:
    """One day of the job demands–resources update, for present people."""
    p = engine.scenario.dynamics.engagement
    power_distance = engine.scenario.org.power_distance
    e = engine.engagement
    readiness = engine.competence * (1.0 - 0.5 * power_distance)
    team_alignment = np.take_along_axis(
        engine.alignment, np.broadcast_to(engine.manager_rank, e.shape), axis=1
    )
    buffer = 1.0 - 0.5 * np.maximum(levers["support"], levers["voice"])
    rollout_stress = (
        effects.rollout_under_way[:, None] * effects.automation_level[:, None] * (1.0 - engine.adoption)
    )
    shock_stress = (effects.stress[:, None] + rollout_stress) * buffer

    resources = (
        p.base_resources
        + p.w_autonomy * np.minimum(autonomy, readiness)
        + p.w_voice * levers["voice"]
        + p.w_support * levers["support"]
        + p.w_vision * levers["vision"]
        + p.w_growth * levers["coaching"]
    )
    buffered = 1.0 - p.support_buffer * levers["support"]
    demands = buffered * (
        p.base_demands
        + p.w_blocked * blocked
        + p.w_workload * engine.workload[:, None]
        + p.w_shock * shock_stress
        + p.w_ambiguity
        * (0.5 * (1.0 - team_alignment) + 0.5 * (1.0 - levers["direction"]) * (1.0 - engine.competence))
        + p.w_micromanagement * levers["direction"] * np.maximum(readiness - autonomy, 0.0)
        + p.w_overreach * np.maximum(autonomy - readiness, 0.0) * (1.0 - levers["support"])
        + p.w_pressure * levers["pressure"]
    )
    contagion = p.contagion * (peer_mean(engine, e, present) - e)
    noise = p.noise * np.sqrt(3.0) * (2.0 * u_noise - 1.0)
    change = p.resource_gain * resources * (1.0 - e) - p.demand_gain * demands * e + contagion + noise
    engine.engagement = np.where(present, np.clip(e + change, 0.0, 1.0), e)


def update_competence(
    engine: Engine, present: np.ndarray, levers: dict[str, np.ndarray], share_team: np.ndarray
) -> None:
    """Learning by experience, from coaching, and by deciding oneself."""
    dyn = engine.scenario.dynamics
    c = engine.competence
    learning = (
        dyn.learning_rate
        + dyn.coaching_gain * levers["coaching"] * levers["support"]
        + dyn.autonomy_learning * share_team
    )
    engine.competence = np.where(present, np.clip(c + learning * (1.0 - c), 0.0, 1.0), c)


def update_alignment(
    engine: Engine, present: np.ndarray, levers: dict[str, np.ndarray], share_team: np.ndarray
) -> None:
    """A team's alignment rises with its leader's vision and erodes with decisions made locally."""
    dyn = engine.scenario.dynamics
    members = np.maximum(engine.members, 1)
    local_share = engine._per_team(share_team * present) / members
    vision = engine.table["vision"][engine.style]
    a = engine.alignment
    engine.alignment = np.clip(
        a + dyn.alignment_rate * vision * (1.0 - a) - dyn.alignment_drift * local_share * a,
        0.0,
        1.0,
    )


def update_adoption(engine: Engine, present: np.ndarray, levers: dict[str, np.ndarray], effects) -> None:
    """People adopt automation faster when engaged, supported, heard and trained."""
    dyn = engine.scenario.dynamics
    rolled_out = effects.automation_level[:, None] > 0
    if not rolled_out.any():
        return  # nothing to adopt yet (most runs): skip a pass over every person
    help_given = (levers["support"] + levers["voice"] + levers["coaching"]) / 3.0
    pace = dyn.adoption_rate * (0.3 + 0.7 * help_given) * engine.engagement
    grow = rolled_out & present
    engine.adoption = np.where(grow, engine.adoption + pace * (1.0 - engine.adoption), engine.adoption)


def quits(engine: Engine, present: np.ndarray, u_quit: np.ndarray) -> np.ndarray:
    """People who quit today (the owner never does); returns the count per replication."""
    dyn = engine.scenario.dynamics
    hazard = (dyn.quit_rate_per_year / 260.0) * np.exp(
        dyn.quit_sensitivity * (dyn.quit_reference_engagement - engine.engagement)
    )
    leaving = present & (u_quit < np.minimum(hazard, 1.0))
    leaving[:, 0] = False
    leave(engine, leaving, engine.day)
    return leaving.sum(axis=1)


def leave(engine: Engine, leaving: np.ndarray, day: int) -> None:
    """People leave for good: their competence goes with them; hires follow after the delay.

    Args:
        engine: the engine.
        leaving: (R, N) mask of who leaves.
        day: today.
    """
    engine.active[leaving] = False
    engine.hire_day[leaving] = day + 1 + engine.scenario.org.hire_delay_days
    engine.absent_until[leaving] = 0
    engine.waiting[leaving] = 0.0
