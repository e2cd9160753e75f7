"""Rasa input channels for the clinic's public channels, registered in credentials.yml by class path.

    channels.webchat.WebChatInput      the website widget (widget/): signed sessions, served by itself
    channels.twilio.TwilioChannel      SMS and WhatsApp through Twilio (X-Twilio-Signature checked)
    channels.telegram.TelegramChannel  Telegram (secret-token header checked)
    channels.messenger.MessengerChannel Facebook Messenger (app-secret signature checked)

Every one of them applies the same rules (channels.guard, channels.policy): text starting with "/" is
text, only payloads the assistant offered are payloads, messages are capped and rate-limited per sender.
How a clinic connects each channel: docs/channels.md.
"""

from channels import action_response_validation as _action_response_validation
from channels import slot_validation_gate as _slot_validation_gate

# Two speed-ups of the Rasa server that every channel configuration of the project gets (make bench).
_action_response_validation.install()
_slot_validation_gate.install()
