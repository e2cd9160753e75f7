"""Booking and handoff backend of the clinic: appointments, consultations, contacts, handoffs, outbox.

Pure Python + SQLAlchemy (no Rasa). The conversation calls :class:`BookingService` and the handoff
functions; staff use ``python -m actions.admin``.
"""
