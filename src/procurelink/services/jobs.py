"""Running queued jobs: one handler per kind, retries and dead letters around them."""

from __future__ import annotations

import traceback
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from procurelink.errors import DomainError, ProcurelinkError, TransientError
from procurelink.ports.records import ExceptionStatus, Job
from procurelink.ports.store import UnitOfWork
from procurelink.services.context import Deps
from procurelink.services.recording import record_exception
from procurelink.workflow.retry import FailureAction, RetryPolicy, after_failure

Handler = Callable[[Job], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class RunResult:
    job_id: int
    kind: str
    outcome: str  # done | retry | dead
    error: str | None = None


@dataclass
class JobRunner:
    deps: Deps
    handlers: Mapping[str, Handler]
    policies: Mapping[str, RetryPolicy] = field(default_factory=dict)
    worker_id: str = "worker"
    lease: timedelta = timedelta(minutes=5)

    async def run_one(self) -> RunResult | None:
        """Claim and run one due job; None when nothing is due."""
        deps = self.deps
        async with deps.store.unit_of_work() as uow:
            job = await uow.jobs.claim(
                self.worker_id, deps.clock.now(), self.lease, list(self.handlers)
            )
            await uow.commit()
        if job is None:
            return None
        try:
            await self.handlers[job.kind](job)
        except DomainError as exc:
            # Bad input or a broken rule: retrying cannot help, a human must look.
            return await self._bury(job, exc)
        except TransientError as exc:
            return await self._fail(job, exc, transient=True)
        except ProcurelinkError as exc:
            return await self._fail(job, exc, transient=False)
        except Exception as exc:
            return await self._fail(job, exc, transient=True, trace=True)
        async with deps.store.unit_of_work() as uow:
            await uow.jobs.complete(job.id, self.worker_id, deps.clock.now())
            await uow.commit()
        return RunResult(job.id, job.kind, "done")

    async def drain(self, limit: int = 10_000) -> list[RunResult]:
        """Run due jobs until none is left (jobs queued by jobs included)."""
        results: list[RunResult] = []
        while len(results) < limit:
            result = await self.run_one()
            if result is None:
                break
            results.append(result)
        return results

    async def _fail(
        self, job: Job, exc: BaseException, transient: bool, trace: bool = False
    ) -> RunResult:
        deps = self.deps
        policy = self.policies.get(job.kind, RetryPolicy())
        action, when = after_failure(
            policy, job.attempts, job.max_attempts, transient, deps.clock.now(), deps.rand
        )
        if action == FailureAction.BURY or when is None:
            return await self._bury(job, exc)
        text = _describe(exc, trace)
        async with deps.store.unit_of_work() as uow:
            await uow.jobs.retry(job.id, self.worker_id, text, when, deps.clock.now())
            await uow.commit()
        return RunResult(job.id, job.kind, "retry", text)

    async def _bury(self, job: Job, exc: BaseException) -> RunResult:
        deps = self.deps
        text = _describe(exc, trace=not isinstance(exc, ProcurelinkError))
        # Every dead letter is also an exception row, so it shows on the dashboard and not
        # only in `procurelink dlq list`.
        error = (
            exc
            if isinstance(exc, ProcurelinkError)
            else ProcurelinkError(f"{job.kind} failed: {type(exc).__name__}: {exc}")
        )
        document_id = job.payload.get("document_id")
        document_id = document_id if isinstance(document_id, str) else None
        async with deps.store.unit_of_work() as uow:
            await uow.jobs.bury(job.id, self.worker_id, text, deps.clock.now())
            if not await _already_raised(uow, job, document_id):
                await record_exception(
                    deps,
                    uow,
                    error,
                    partner_id=job.partner_id,
                    correlation_id=job.correlation_id,
                    document_id=document_id,
                    payload={"job_id": job.id, "job_kind": job.kind},
                )
            await uow.commit()
        return RunResult(job.id, job.kind, "dead", text)


async def _already_raised(uow: UnitOfWork, job: Job, document_id: str | None) -> bool:
    """A replayed job that dies again, or another job of its kind for the same document
    (re-queued, woken), adds no second dead letter: the dashboard shows each problem once."""
    standing = await uow.exceptions.list(
        status=ExceptionStatus.OPEN, correlation_id=job.correlation_id, limit=1000
    )
    return any(
        x.payload.get("job_id") == job.id
        or (
            document_id is not None
            and x.document_id == document_id
            and x.payload.get("job_kind") == job.kind
        )
        for x in standing
    )


def _describe(exc: BaseException, trace: bool) -> str:
    head = f"{type(exc).__name__}: {exc}"
    if not trace:
        return head
    return head + "\n" + "".join(traceback.format_exception(exc))[-4000:]


async def replay_dead_job(deps: Deps, job_id: int) -> bool:
    """Queue a dead-lettered job again with fresh attempts; False if it is not dead."""
    async with deps.store.unit_of_work() as uow:
        replayed = await uow.jobs.replay(job_id, deps.clock.now())
        await uow.commit()
    return replayed
