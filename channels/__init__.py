"""Rasa input channels for the clinic's public channels, registered in credentials.yml by class path.

    channels.webchat.WebChatInput      the website widget (widget/): signed sessions, served by itself
    channels.twilio.TwilioChannel      SMS and WhatsApp through Twilio (X-Twilio-Signature checked)
    channels.telegram.TelegramChannel  Telegram (secret-token header checked)
    channels.messenger.MessengerChannel Facebook Messenger (app-secret signature checked)

Every one of them applies the same rules (channels.guard, channels.policy): text starting with "/" is
text, only payloads the assistant offered are payloads, messages are capped and rate-limited per sender.
How a clinic connects each channel: docs/channels.md.
"""

from channels import action_call_payload as _action_call_payload
from channels import action_response_validation as _action_response_validation
from channels import applied_events_memo as _applied_events_memo
from channels import event_types as _event_types
from channels import settled_prediction as _settled_prediction
from channels import slot_validation_gate as _slot_validation_gate
from channels import startup_heap as _startup_heap

# Speed-ups of the Rasa server that every channel configuration of the project gets (make bench).
_action_call_payload.install()
_action_response_validation.install()
_applied_events_memo.install()
_event_types.install()
_settled_prediction.install()
_slot_validation_gate.install()
_startup_heap.install()
