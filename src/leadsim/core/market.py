"""The market that answers back, and the money: orders, the order book, customers, cash.

Forrester's market-growth structure (Forrester 1968, *Market growth as influenced by capital
investment*): customers place orders; the order book is worked off by the firm's capacity; the
delivery delay (days of work in the book) and the quality of the firm's decisions are perceived by
customers with a lag, and shape how many customers the firm keeps and wins. Customers are lost
faster than they are won back. Spare capacity is not simply wasted: it goes into selling, which
slowly widens the market the firm can reach (the sales-effort loop), so capacity and orders find
each other rather than one capping the other.

All quantities are per replication, shape (R,). Orders and capacity are in units of work per day
(a competent, engaged person-day is about one unit); money in the scenario's currency.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

REFERENCE_QUALITY = 0.6  # decision quality customers take as normal
SALES_GAIN = 0.01  # daily growth of the reachable market per unit share of spare capacity
DAYS_PER_YEAR = 260


@dataclass
class MarketState:
    """The market of each replication."""

    potential: np.ndarray  # orders per day customers would place at a normal delay and quality
    customers: np.ndarray  # orders per day the firm's current customers place in normal times
    order_book: np.ndarray  # units of work ordered and not yet delivered
    perceived_delay: np.ndarray  # delivery delay as customers perceive it, days
    perceived_quality: np.ndarray  # decision quality as customers perceive it

    @classmethod
    def start(cls, orders: np.ndarray, market) -> MarketState:
        """A market whose customers order ``orders`` a day, in balance with the delivery delay.

        The reachable market is ``headroom`` times the orders; the book holds the delay at which
        that market orders just ``orders`` (the balance of Forrester's limits-to-growth loop).
        """
        orders = np.asarray(orders, dtype=float)
        delay = market.normal_delivery_days
        if market.delay_elasticity > 0:
            delay *= market.headroom ** (1.0 / market.delay_elasticity)
        return cls(
            potential=orders * market.headroom,
            customers=orders.copy(),
            order_book=orders * delay,
            perceived_delay=np.full(orders.shape, delay),
            perceived_quality=np.full(orders.shape, REFERENCE_QUALITY),
        )


def attractiveness(
    state: MarketState, normal_delay: float, delay_elasticity: float, quality_elasticity: float
):
    """How much of the reachable market the firm's delivery and decisions attract (1 = all)."""
    slow = np.maximum(state.perceived_delay / normal_delay, 1.0)
    quality = np.maximum(state.perceived_quality, 1e-3) / REFERENCE_QUALITY
    return slow**-delay_elasticity * quality**quality_elasticity


def trade(
    state: MarketState,
    capacity: np.ndarray,
    order_factor: np.ndarray,
    market_factor: np.ndarray,
    quality: np.ndarray,
    market,
) -> dict[str, np.ndarray]:
    """One day of the market: orders arrive, the book is worked off, customers react.

    Args:
        state: the market, updated in place.
        capacity: units of work the firm can deliver today.
        order_factor: what shocks do to each customer's orders today (1 = nothing).
        market_factor: what shocks do to the reachable market today (1 = nothing).
        quality: today's decision quality (NaN where nothing was decided: customers see no news).
        market: the scenario's market settings.

    Returns:
        orders, shipments, delivery_delay (days of work in the book at today's capacity).
    """
    orders = state.customers * order_factor
    state.order_book = state.order_book + orders
    shipments = np.minimum(capacity, state.order_book)
    state.order_book = state.order_book - shipments
    delay = state.order_book / np.maximum(capacity, 1e-9)
    delay = np.minimum(delay, 10 * DAYS_PER_YEAR)  # a firm with no capacity: a long wait, not inf

    lag = 1.0 / market.perception_days
    state.perceived_delay = state.perceived_delay + lag * (delay - state.perceived_delay)
    seen = np.where(np.isnan(quality), state.perceived_quality, quality)
    state.perceived_quality = state.perceived_quality + lag * (seen - state.perceived_quality)

    target = (
        state.potential
        * market_factor
        * attractiveness(
            state, market.normal_delivery_days, market.delay_elasticity, market.quality_elasticity
        )
    )
    losing = target < state.customers
    pace = np.where(losing, 1.0 / market.loss_days, 1.0 / market.regain_days)
    state.customers = state.customers + pace * (target - state.customers)

    spare = np.clip(1.0 - shipments / np.maximum(capacity, 1e-9), 0.0, 1.0)
    growth = (1.0 + market.trend) ** (1.0 / DAYS_PER_YEAR) * (1.0 + SALES_GAIN * spare)
    state.potential = state.potential * growth
    return {"orders": orders, "shipments": shipments, "delivery_delay": delay}


@dataclass(frozen=True)
class Wages:
    """Daily wage cost of each slot (owner, leaders, employees), shape (N,)."""

    daily: np.ndarray

    @classmethod
    def of(cls, is_leader: np.ndarray, economics) -> Wages:
        """Wages from the scenario's economics: the owner (slot 0), leaders and employees."""
        factor = np.where(is_leader, economics.leader_wage_factor, 1.0)
        factor[0] = economics.owner_wage_factor
        return cls(economics.wage_per_year * factor / DAYS_PER_YEAR)


def daily_costs(
    wages: Wages, active: np.ndarray, posts: int, revenue: np.ndarray, economics
) -> dict[str, np.ndarray]:
    """Payroll of the people employed, overheads of every post, and materials with the revenue."""
    payroll = active.astype(float) @ wages.daily
    overhead = np.full(active.shape[0], posts * economics.overhead_per_person_year / DAYS_PER_YEAR)
    materials = economics.materials_share * revenue
    return {"payroll": payroll, "overhead": overhead, "materials": materials}
