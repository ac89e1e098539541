package io.reel.devserver.states;

/** The statuses DescribeExecution reports (PENDING_REDRIVE aside: redrive is not implemented). */
public enum ExecutionStatus {
    RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED
}
