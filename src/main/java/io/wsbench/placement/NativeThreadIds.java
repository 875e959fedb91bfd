package io.wsbench.placement;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * The Linux thread ids of this JVM's threads, from its own thread dump (the {@code DiagnosticCommand} MBean's {@code
 * threadPrint}, what {@code jcmd PID Thread.print} prints): each thread's line has its native id ({@code nid=0x1a2b}
 * up to JDK 18, {@code nid=6699} from 19 on) and, for a Java thread, its Java id ({@code #23}); the JVM's own threads
 * (GC, compiler, VM thread) have no Java id. The dump takes a safepoint, so it is read between iterations, never while
 * measuring.
 *
 * @param javaThreads Java thread id to Linux thread id, for every platform thread alive at the dump
 * @param all the Linux ids of every thread in the dump, the JVM's own included
 */
record NativeThreadIds(Map<Long, Long> javaThreads, Set<Long> all) {
    private static final Pattern THREAD_LINE = Pattern.compile("^\".*\"(?: #(\\d+))? .*?\\bnid=(0x[0-9a-fA-F]+|\\d+)\\b");

    /** A dump of this JVM now. */
    static NativeThreadIds ofThisJvm() {
        try {
            Object dump = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "threadPrint",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
            return parse((String) dump);
        } catch (JMException e) {
            throw new IllegalStateException("cannot read this JVM's thread dump (DiagnosticCommand threadPrint), which"
                    + " gives each Java thread's Linux id for pinning; run on HotSpot (OpenJDK), or use"
                    + " -p placement=none", e);
        }
    }

    static NativeThreadIds parse(String threadDump) {
        Map<Long, Long> java = new HashMap<>();
        Set<Long> all = new HashSet<>();
        for (String line : threadDump.split("\n")) {
            Matcher thread = THREAD_LINE.matcher(line);
            if (thread.find()) {
                String nid = thread.group(2);
                long tid = nid.startsWith("0x") ? Long.parseLong(nid.substring(2), 16) : Long.parseLong(nid);
                all.add(tid);
                if (thread.group(1) != null) {
                    java.put(Long.parseLong(thread.group(1)), tid);
                }
            }
        }
        return new NativeThreadIds(java, all);
    }
}
