"""The Rasa server's stores, named by class path in endpoints.yml and deploy/endpoints.production.yml.

rasa_server.stores.tracker_store.PrivateSQLTrackerStore  conversations in SQL, without leaking
                                                         a failed statement's values into logs
rasa_server.stores.lock_store.RedisTicketLockStore       per-conversation locks shared by the
                                                         production topology's Rasa servers
"""
