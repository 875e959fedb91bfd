package io.wsbench.gate;

import io.wsbench.results.JmhResultFile;
import io.wsbench.results.JmhResultFile.Result;
import io.wsbench.results.RunRecord;
import io.wsbench.results.RunRecord.Machine;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Were two runs made on the same kind of machine? Times compare only then: the CPU model, the number of cores and the
 * JVM (VM name and full version) must match. The CPU and the cores come from each run's record
 * ({@code NAME.run.txt}, {@link RunRecord}); the JVM from JMH's JSON, which names the JVM the forks ran on.
 * Allocation ({@link AllocationGate}) needs less: the same JDK major version and vendor.
 *
 * @param baseline            the baseline's machine in words, for messages
 * @param current             the current run's machine in words
 * @param differences         what differs (empty when the machines match)
 * @param sameAllocationJvm   true when the JVMs share major version and vendor, so allocations compare
 * @param allocationJvms      both JVMs' major version and vendor in words, for messages
 * @param warnings            what could not be checked (such as a run without its record)
 */
record MachineCheck(String baseline, String current, List<String> differences, boolean sameAllocationJvm,
                    String allocationJvms, List<String> warnings) {

    MachineCheck {
        differences = List.copyOf(differences);
        warnings = List.copyOf(warnings);
    }

    boolean sameMachine() {
        return differences.isEmpty();
    }

    static MachineCheck of(JmhResultFile baseline, JmhResultFile current) {
        return of(baseline, Machine.of(baseline.source()), current, Machine.of(current.source()));
    }

    static MachineCheck of(JmhResultFile baseline, Optional<Machine> baseMachine,
                           JmhResultFile current, Optional<Machine> curMachine) {
        List<String> differences = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Jvm bj = Jvm.of(baseline, baseMachine);
        Jvm cj = Jvm.of(current, curMachine);
        if (baseMachine.isPresent() && curMachine.isPresent()) {
            Machine b = baseMachine.get();
            Machine c = curMachine.get();
            if (!b.cpu().equals(c.cpu())) {
                differences.add("CPU '" + b.cpu() + "' vs '" + c.cpu() + "'");
            }
            if (!b.nproc().equals(c.nproc())) {
                differences.add(b.nproc() + " vs " + c.nproc() + " cores");
            }
        } else {
            for (JmhResultFile f : baseMachine.isEmpty() && curMachine.isEmpty() ? List.of(baseline, current)
                    : List.of(baseMachine.isEmpty() ? baseline : current)) {
                warnings.add(f.source() + " has no run record (" + RunRecord.sidecarOf(f.source())
                        + "), so its CPU and cores are unknown and only the JVM was checked; runs made by scripts/gate run or ab have one");
            }
        }
        if (!bj.full().equals(cj.full())) {
            differences.add("JVM '" + bj.full() + "' vs '" + cj.full() + "'");
        }
        boolean recorded = !bj.recordedVendor().isEmpty() && !cj.recordedVendor().isEmpty();
        boolean sameAllocationJvm = bj.major().equals(cj.major())
                && (recorded ? bj.recordedVendor().equals(cj.recordedVendor()) : bj.guessedVendor().equals(cj.guessedVendor()));
        if (!recorded) {
            warnings.add("a run record has no 'java vendor' line, so the JVM vendor was judged by the VM name and the"
                    + " version's build tag ('" + bj.guessedVendor() + "' vs '" + cj.guessedVendor() + "')");
        }
        String allocationJvms = "the baseline's JVM is " + bj.majorAndVendor(recorded) + ", the current run's "
                + cj.majorAndVendor(recorded);
        return new MachineCheck(describe(baseMachine, bj), describe(curMachine, cj), differences, sameAllocationJvm,
                allocationJvms, warnings);
    }

    private static String describe(Optional<Machine> machine, Jvm jvm) {
        return machine.map(Machine::hardware).orElse("unknown CPU and cores (no run record)") + ", " + jvm.full();
    }

    /** What the gate needs of a run's JVM: its name and version from JMH, the vendor from the record if it has one. */
    private record Jvm(String full, String major, String recordedVendor, String guessedVendor) {
        static Jvm of(JmhResultFile file, Optional<Machine> machine) {
            String full;
            String version;
            String name;
            if (!file.results().isEmpty() && !file.results().get(0).vmVersion().isEmpty()) {
                Result first = file.results().get(0);
                name = first.vmName();
                version = first.vmVersion();
                full = (name + ' ' + version).trim();
            } else {
                full = machine.map(Machine::java).filter(j -> !j.isEmpty()).orElse("unknown JVM");
                int digit = firstVersionStart(full);
                name = full.substring(0, digit).trim();
                version = full.substring(digit);
            }
            String major = version.replaceAll("^(1\\.)?(\\d+).*$", "$2");
            // the build tag after '+BUILD-', e.g. 'Debian' of 17.0.15+6-Debian-1deb12u1; empty for a plain 17.0.15+6
            String tag = version.replaceAll("^[^+-]*(\\+\\d+)?-?", "").replaceAll("-.*$", "");
            return new Jvm(full, major, machine.map(Machine::vendor).orElse(""), (name + ' ' + tag).trim());
        }

        /** Such as {@code Java 17 from 'Debian' (OpenJDK 64-Bit Server VM 17.0.15+6-Debian-1deb12u1)}. */
        String majorAndVendor(boolean recorded) {
            return "Java " + major + " from '" + (recorded ? recordedVendor : guessedVendor) + "' (" + full + ")";
        }

        /** Where the version starts in a record's {@code java:} line: the first word like {@code 17.0.15+6} or {@code 25+36}. */
        private static int firstVersionStart(String line) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(^| )\\d+[.+]").matcher(line);
            return m.find() ? m.start() + (m.group(1).isEmpty() ? 0 : 1) : line.length();
        }
    }
}
