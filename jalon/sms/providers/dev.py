"""Development provider: nothing leaves the machine; messages are read on /dev/sms/."""

from __future__ import annotations

from jalon.sms.providers.base import DeliveryState, SendResult


class DevProvider:
    name = "dev"

    def send(self, *, to: str, text: str, sender: str, reference: str) -> SendResult:
        return SendResult(provider=self.name, provider_reference=f"dev-{reference}")

    def lookup(self, reference: str) -> DeliveryState:
        return DeliveryState.UNKNOWN
