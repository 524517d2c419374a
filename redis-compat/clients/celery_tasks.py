"""The Celery app and tasks for celery_check.py. The worker subprocess imports this module by
name (`celery -A celery_tasks worker`), so broker, backend and the run log come from the
environment: FICKLE_CELERY_URL (redis://127.0.0.1:PORT/0) and FICKLE_CELERY_RUNS (a file).

Every task run appends one line "<task> <task id> <retries>" to the run log with a single
O_APPEND write, so runs from several worker processes never interleave and the check can count
how often each task really ran, independently of the server under test.
"""
import os
import time

from celery import Celery

URL = os.environ.get("FICKLE_CELERY_URL", "redis://127.0.0.1:6379/0")
RUNS = os.environ.get("FICKLE_CELERY_RUNS", os.devnull)

app = Celery("celery_tasks", broker=URL, backend=URL)
app.conf.update(
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    # Acknowledge after the run, so a lost ack would show up as a task run twice.
    task_acks_late=True,
    worker_prefetch_multiplier=1,
    broker_connection_retry_on_startup=True,
    result_expires=600,
)
if os.environ.get("FICKLE_CELERY_VISIBILITY_S"):
    # An unacked message older than this is given back to the queue by the next worker to start.
    app.conf.broker_transport_options = {
        "visibility_timeout": float(os.environ["FICKLE_CELERY_VISIBILITY_S"])}


def record(task):
    line = ("%s %s %d\n" % (task.name, task.request.id, task.request.retries)).encode()
    fd = os.open(RUNS, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)


@app.task(bind=True, name="add")
def add(self, x, y):
    record(self)
    return x + y


@app.task(bind=True, name="total")
def total(self, values):
    record(self)
    return sum(values)


@app.task(bind=True, name="flaky", max_retries=3)
def flaky(self, fail_times, value):
    """Fails (and retries after a countdown) fail_times times, then returns value."""
    record(self)
    if self.request.retries < fail_times:
        raise self.retry(countdown=0.5, exc=RuntimeError("attempt %d" % self.request.retries))
    return value


@app.task(bind=True, name="doomed", max_retries=1)
def doomed(self):
    record(self)
    raise self.retry(countdown=0.3, exc=ValueError("doomed"))


@app.task(bind=True, name="boom")
def boom(self):
    record(self)
    raise KeyError("boom")


@app.task(bind=True, name="slow")
def slow(self, seconds):
    record(self)
    time.sleep(seconds)
    return "slept"
