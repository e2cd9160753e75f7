"""Booking and handoff backend of the clinic: appointments, consultations, contacts, handoffs, outbox.

Pure Python + SQLAlchemy (no Rasa). The conversation calls :class:`BookingService` and
:class:`HandoffDesk`; staff use ``python -m actions.admin``; the outbox worker runs as
``python -m actions.booking.worker``. Every call returns a :class:`Result` (``ok``, ``value``,
``error_code``, ``message``) instead of raising on bad input.
"""

from actions.booking.contacts import ContactDetails
from actions.booking.gate import ConsultationInput
from actions.booking.handoffs import HandoffDesk, HandoffView, is_handoff_open
from actions.booking.results import ErrorCode, Result
from actions.booking.service import BookingService
from actions.booking.views import AppointmentView, BookingView, SeriesOffer, SlotOffer

__all__ = [
    "AppointmentView",
    "BookingService",
    "BookingView",
    "ConsultationInput",
    "ContactDetails",
    "ErrorCode",
    "HandoffDesk",
    "HandoffView",
    "Result",
    "SeriesOffer",
    "SlotOffer",
    "is_handoff_open",
]
