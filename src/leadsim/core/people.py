"""People: who they are, how engaged and skilled they become, what they know, and when they leave.

Engagement follows the job demands–resources model (Bakker & Demerouti 2007): resources pull it up
toward 1, demands pull it down toward 0, peers on the informal network pull it toward their mean
(emotional contagion), plus a little noise. People differ: each has a disposition (their own baseline
resources, i.e. trait engagement), their own sensitivity to each resource and demand, and their own
rapport with their leader, which scales how they perceive what the leader does. The style is one
cause of engagement among several, as in the field data. A disposition colours both sides of the
job: its square root scales a person's baseline resources up and baseline demands down.

Pressure is a challenge demand (Crawford, LePine & Rich 2010): it engages people who are not
strained, and turns into a hindrance under workload without support. Learning is bounded: everyone
grows toward a ceiling of their own and forgets without practice. Knowledge of clients and processes
follows who decides and who is coached. The quit hazard is a base rate (the labour market) raised
exponentially as engagement falls below a reference level.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SITUATIONAL_LEVELS = ("S1", "S2", "S3", "S4")
CEILING_ABOVE = 0.08  # mean room to grow above the competence a person has in post
RESOURCES = ("autonomy", "voice", "support", "vision", "growth", "challenge")
DEMANDS = ("blocked", "workload", "shock", "ambiguity", "micromanagement", "overreach", "hindrance")
COACHED_KNOWLEDGE = 0.5  # knowledge a fully coached person gains per day, in decisions' worth


@dataclass
class Traits:
    """What differs between people and stays with the person, shape (R, N) each."""

    disposition: np.ndarray  # trait engagement: its root scales base resources up and base demands down
    sensitivity: dict[str, np.ndarray]  # per resource and demand
    rapport: np.ndarray  # how the person perceives their leader's behaviour
    ceiling: np.ndarray  # the competence the person can reach

    @classmethod
    def draw(cls, rng: np.random.Generator, n: int, engagement, competence) -> Traits:
        """Draw one replication's traits (each a (1, n) array) from the organisation stream."""
        lognormal = lambda sd: np.exp(sd * rng.standard_normal(n) - 0.5 * sd**2)  # noqa: E731 (mean 1)
        disposition = np.exp(engagement.trait_sd * rng.standard_normal(n))  # median 1
        sensitivity = {name: lognormal(engagement.sensitivity_sd) for name in (*RESOURCES, *DEMANDS)}
        rapport = lognormal(engagement.rapport_sd)
        ceiling = np.clip(competence + CEILING_ABOVE * (0.5 + rng.random(n)), 0.05, 1.0)
        return cls(disposition, sensitivity, rapport, ceiling)

    def take(self, runs: np.ndarray, slots: np.ndarray, donors: np.ndarray) -> None:
        """Give the people in (runs, slots) the disposition, sensitivities and rapport of the donors."""
        self.disposition[runs, slots] = self.disposition[runs, donors]
        self.rapport[runs, slots] = self.rapport[runs, donors]
        for values in self.sensitivity.values():
            values[runs, slots] = values[runs, donors]

    @classmethod
    def stack(cls, traits: list[Traits]) -> Traits:
        """One (R, N) Traits from the replications' own."""
        return cls(
            np.stack([t.disposition for t in traits]),
            {k: np.stack([t.sensitivity[k] for t in traits]) for k in traits[0].sensitivity},
            np.stack([t.rapport for t in traits]),
            np.stack([t.ceiling for t in traits]),
        )


def development_level(competence, engagement, cuts) -> np.ndarray:
    """Hersey–Blanchard development level per person, 0..3 for D1..D4.

    D1 low competence, high commitment; D2 low, low; D3 high competence, low commitment; D4 high, high.
    """
    competent = competence >= cuts.competence_cut
    committed = engagement >= cuts.commitment_cut
    return np.where(competent, np.where(committed, 3, 2), np.where(committed, 0, 1))


def situational_rows(situational) -> dict[str, np.ndarray]:
    """The S1–S4 responses as arrays indexed by development level."""
    rows = [getattr(situational, name) for name in SITUATIONAL_LEVELS]
    return {
        key: np.asarray([getattr(row, key) for row in rows])
        for key in ("authority_threshold", "direction", "support", "coaching_share")
    }


def peer_mean(network, values: np.ndarray, present: np.ndarray) -> np.ndarray:
    """Mean of ``values`` over each person's present neighbours; own value where there are none."""
    flat_present = present.ravel().astype(float)
    sums = network @ (values.ravel() * flat_present)
    counts = network @ flat_present
    mean = np.where(counts > 0, sums / np.maximum(counts, 1e-12), values.ravel())
    return mean.reshape(values.shape)


def engagement_change(
    engagement: np.ndarray,
    resources: dict[str, np.ndarray],
    demands: dict[str, np.ndarray],
    traits: Traits,
    support: np.ndarray,
    peers: np.ndarray,
    u_noise: np.ndarray,
    p,
) -> np.ndarray:
    """One day of the job demands–resources update; returns the new engagement (not clipped to present).

    Args:
        engagement: today's engagement, (R, N).
        resources: each job resource as each person meets it, in [0, 1].
        demands: each job demand as each person meets it, in [0, 1].
        traits: the people's dispositions and sensitivities.
        support: support received (buffers demands), (R, N).
        peers: the mean engagement of each person's present neighbours.
        u_noise: uniforms for the daily noise.
        p: the scenario's engagement settings.
    """
    weights_r = {"autonomy": p.w_autonomy, "voice": p.w_voice, "support": p.w_support,
                 "vision": p.w_vision, "growth": p.w_growth, "challenge": p.w_challenge}  # fmt: skip
    weights_d = {"blocked": p.w_blocked, "workload": p.w_workload, "shock": p.w_shock,
                 "ambiguity": p.w_ambiguity, "micromanagement": p.w_micromanagement,
                 "overreach": p.w_overreach, "hindrance": p.w_hindrance}  # fmt: skip
    temper = np.sqrt(traits.disposition)
    total_r = p.base_resources * temper
    for name, weight in weights_r.items():
        total_r = total_r + weight * traits.sensitivity[name] * resources[name]
    total_d = p.base_demands / temper  # a disposition colours both sides of the job
    for name, weight in weights_d.items():
        total_d = total_d + weight * traits.sensitivity[name] * demands[name]
    total_d = total_d * (1.0 - p.support_buffer * support)
    e = engagement
    noise = p.noise * np.sqrt(3.0) * (2.0 * u_noise - 1.0)
    change = (
        p.resource_gain * total_r * (1.0 - e)
        - p.demand_gain * total_d * e
        + p.contagion * (peers - e)
        + noise
    )
    return np.clip(e + change, 0.0, 1.0)


def competence_change(
    competence: np.ndarray,
    ceiling: np.ndarray,
    practice: np.ndarray,
    coaching: np.ndarray,
    deciding: np.ndarray,
    dyn,
) -> np.ndarray:
    """Bounded learning: growth toward one's ceiling, forgetting in idle time.

    People grow with practice, coaching and deciding their own matters.

    Args:
        competence: today's competence, (R, N).
        ceiling: each person's ceiling.
        practice: share of the day spent on real work, in [0, 1].
        coaching: coaching dose received, in [0, 1].
        deciding: share of one's own decisions taken oneself, in [0, 1].
        dyn: the scenario's dynamics settings.
    """
    c = competence
    growth = (
        dyn.learning_rate * practice + dyn.coaching_gain * coaching + dyn.autonomy_learning * deciding
    ) * np.maximum(ceiling - c, 0.0)
    forgetting = dyn.forgetting_rate * (1.0 - practice) * c
    return np.clip(c + growth - forgetting, 0.0, 1.0)


def knowledge_change(knowledge: np.ndarray, decided: np.ndarray, coaching: np.ndarray, days: float):
    """Client and process knowledge: a memory of the decisions one took and the coaching one got."""
    return knowledge + (decided + COACHED_KNOWLEDGE * coaching - knowledge) / days


def quit_hazard(engagement: np.ndarray, dyn) -> np.ndarray:
    """Daily quit probability: the base rate, raised as engagement falls below the reference."""
    gap = dyn.quit_reference_engagement - engagement
    return np.minimum(dyn.quit_rate_per_year / 260.0 * np.exp(dyn.quit_sensitivity * gap), 1.0)


def alignment_change(
    alignment: np.ndarray, vision: np.ndarray, local_share: np.ndarray, competence: np.ndarray, dyn
) -> np.ndarray:
    """A team's alignment rises with its leader's vision and erodes with decisions made locally.

    Skilled people know where the firm is going: local decisions erode alignment in proportion to
    how much the team still has to learn (twice the drift of a team at competence 0.5 when it knows
    nothing, none when it is fully competent).
    """
    a = alignment
    drift = dyn.alignment_drift * local_share * 2.0 * (1.0 - competence)
    return np.clip(a + dyn.alignment_rate * vision * (1.0 - a) - drift * a, 0, 1)


def adoption_change(adoption: np.ndarray, help_given: np.ndarray, engagement: np.ndarray, pace: float):
    """People adopt automation faster when engaged, supported, heard, trained and given a plan."""
    return adoption + pace * (0.3 + 0.7 * help_given) * engagement * (1.0 - adoption)
