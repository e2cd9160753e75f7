"""Rasa input channels for the clinic's public channels, registered in credentials.yml by class path.

    webchat.WebChatInput        the website widget (widget/): signed sessions, served by itself
    twilio.TwilioChannel        SMS and WhatsApp through Twilio (X-Twilio-Signature checked)
    telegram.TelegramChannel    Telegram (secret-token header checked)
    messenger.MessengerChannel  Facebook Messenger (app-secret signature checked)
    local_rest.LocalRestInput   REST on one's own machine only (`make run`; never in production)

Every public one applies the same rules (guard, policy): text starting with "/" is text, only payloads
the assistant offered are payloads, messages are capped and rate-limited per sender. Importing them
changes nothing in Rasa (the speed-ups are ``rasa_server.install()``'s). How a clinic connects each
channel: docs/channels.md.
"""
