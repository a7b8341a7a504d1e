"""Webhooks: endpoints, a durable outbox of deliveries filled by the sequencer, and the
workers that send them (Standard Webhooks, at least once, retried on a schedule)."""
