"""Handovers: parties, services, guarantees, milestones, lifecycle and staff transfers."""

from __future__ import annotations

from litestar import Controller


class HandoverController(Controller):
    path = "/handovers"
    tags = ["handovers"]


class StaffTransferController(Controller):
    path = "/handovers/{handover_id:uuid}/staff"
    tags = ["staff transfers"]
