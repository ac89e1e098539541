package io.reel.localaws.faults;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fault injection for the emulated AWS: while a rule is in force, a share of the SDK's attempts at the operations it
 * names fail as AWS fails - throttled, a 5xx, S3's {@code SlowDown}, an attempt that hangs until the client's attempt
 * timeout, a dropped connection - before anything is sent, so the emulator never sees a faulted attempt and nothing is
 * written by it. Each attempt is decided anew, so the SDK's own retries (with their back-off and jitter) meet the fault
 * as they would in AWS. {@link FaultInterceptor}, a global SDK interceptor, applies the rules to every client in the
 * JVM; the rules are global too (a function's background threads are faulted as well), so a test sets them after its
 * own setup and closes them before its checks.
 *
 * <pre>{@code
 * try (var faults = Faults.inject(Fault.THROTTLED.on("DynamoDB", "GetItem").always())) {
 *     ... // the call under test
 *     assertThat(faults.injected()).isPositive();
 * }
 * }</pre>
 */
public final class Faults {
    private static final List<Rule> RULES = new CopyOnWriteArrayList<>();

    private Faults() {
    }

    /** Puts these rules in force until the returned scope is closed. */
    public static Scope inject(Rule... rules) {
        List<Rule> added = List.of(rules);
        RULES.addAll(added);
        return new Scope(added);
    }

    /** The fault for one attempt at {@code service}/{@code operation}, if a rule in force picks it. */
    static Optional<Rule> pick(String service, String operation) {
        for (Rule rule : RULES) {
            if (rule.matches(service, operation) && rule.fires()) {
                return Optional.of(rule);
            }
        }
        return Optional.empty();
    }

    /** What goes wrong. */
    public enum Fault {
        /** DynamoDB's {@code ProvisionedThroughputExceededException} (400), throttling. */
        THROTTLED,
        /** The {@code ThrottlingException} (400) of DynamoDB's control plane, KMS and Secrets Manager. */
        THROTTLING_EXCEPTION,
        /** An internal error: 500 {@code InternalServerError} (DynamoDB) / {@code InternalError} (S3). */
        SERVER_ERROR,
        /** S3's {@code SlowDown} (503): reduce your request rate. */
        SLOW_DOWN,
        /** No answer: the attempt hangs until the client's attempt timeout ends it. */
        TIMEOUT,
        /** The connection is reset before an answer. */
        DROPPED;

        /** A rule for this fault on one operation ({@code null}: every operation) of one service ("DynamoDB", "S3", "KMS"). */
        public Rule on(String service, String operation) {
            return new Rule(this, service, operation, 1.0, Integer.MAX_VALUE, Duration.ofSeconds(30), 0);
        }
    }

    /**
     * A fault, where it strikes ({@code service}, and {@code operation} or null for all), on what share of the
     * attempts, at most how many times, and (for {@link Fault#TIMEOUT}) how long an attempt hangs.
     */
    public static final class Rule {
        private final Fault fault;
        private final String service;
        private final String operation;
        private final double fraction;
        private final int limit;
        private final Duration hang;
        private final int spared;
        private final AtomicInteger matched = new AtomicInteger();
        private final AtomicInteger injected = new AtomicInteger();

        private Rule(Fault fault, String service, String operation, double fraction, int limit, Duration hang, int spared) {
            if (fraction < 0 || fraction > 1) {
                throw new IllegalArgumentException("fraction " + fraction);
            }
            this.fault = fault;
            this.service = service;
            this.operation = operation;
            this.fraction = fraction;
            this.limit = limit;
            this.hang = hang;
            this.spared = spared;
        }

        /** On every attempt. */
        public Rule always() {
            return new Rule(fault, service, operation, 1.0, limit, hang, spared);
        }

        /** On about this share of attempts (each decided at random). */
        public Rule fraction(double share) {
            return new Rule(fault, service, operation, share, limit, hang, spared);
        }

        /** On the first {@code times} matching attempts only. */
        public Rule times(int times) {
            return new Rule(fault, service, operation, fraction, times, hang, spared);
        }

        /** How long a {@link Fault#TIMEOUT} attempt hangs if the client does not give up first. */
        public Rule hanging(Duration duration) {
            return new Rule(fault, service, operation, fraction, limit, duration, spared);
        }

        /** Not on the first {@code attempts} matching attempts: a fault that strikes part-way through a job. */
        public Rule afterFirst(int attempts) {
            return new Rule(fault, service, operation, fraction, limit, hang, attempts);
        }

        public Fault fault() {
            return fault;
        }

        Duration hang() {
            return hang;
        }

        String service() {
            return service;
        }

        /** Attempts this rule faulted. */
        public int injected() {
            return injected.get();
        }

        /** Attempts at its operations while it was in force (faulted or not). */
        public int matched() {
            return matched.get();
        }

        boolean matches(String calledService, String calledOperation) {
            return service.toLowerCase(Locale.ROOT).equals(calledService == null ? "" : calledService.toLowerCase(Locale.ROOT))
                    && (operation == null || operation.equals(calledOperation));
        }

        boolean fires() {
            if (matched.incrementAndGet() <= spared) {
                return false;
            }
            if (fraction < 1.0 && ThreadLocalRandom.current().nextDouble() >= fraction) {
                return false;
            }
            while (true) {
                int done = injected.get();
                if (done >= limit) {
                    return false;
                }
                if (injected.compareAndSet(done, done + 1)) {
                    return true;
                }
            }
        }

        @Override
        public String toString() {
            return fault + " on " + service + "/" + (operation == null ? "*" : operation) + " (" + injected() + " of "
                    + matched() + " attempts)";
        }
    }

    /** Rules in force; closing it lifts them. */
    public static final class Scope implements AutoCloseable {
        private final List<Rule> rules;

        private Scope(List<Rule> rules) {
            this.rules = rules;
        }

        /** Attempts faulted by this scope's rules so far. */
        public int injected() {
            return rules.stream().mapToInt(Rule::injected).sum();
        }

        /** Attempts at the operations of this scope's rules so far, faulted or not. */
        public int matched() {
            return rules.stream().mapToInt(Rule::matched).sum();
        }

        /** Lifts the rules and prints what they did (one line, "local-aws faults: …", for the figures in performance.md). */
        @Override
        public void close() {
            RULES.removeAll(rules);
            System.out.println("local-aws faults: " + this);
        }

        @Override
        public String toString() {
            return rules.toString();
        }
    }
}
