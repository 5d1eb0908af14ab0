"""Temporal workflows: one per case (with its round's clock), and the round child of earlier releases. No I/O here.

``SANDBOX`` is the workflow runner every worker and replayer uses: Temporal's sandbox, with the pure
``domain`` package passed through whole, so that a domain module first imported while a workflow runs
(a lazy import inside a function) is the same module, with the same classes, as everywhere else.
"""

from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

SANDBOX = SandboxedWorkflowRunner(restrictions=SandboxRestrictions.default.with_passthrough_modules("domain"))
