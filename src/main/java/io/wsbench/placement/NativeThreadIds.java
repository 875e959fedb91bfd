package io.wsbench.placement;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * The Linux thread id of each Java platform thread of this JVM, from the JVM's own thread dump (the {@code
 * DiagnosticCommand} MBean's {@code threadPrint}, what {@code jcmd PID Thread.print} prints): each thread's line has
 * its Java id ({@code #23}) and its native id ({@code nid=0x1a2b} up to JDK 18, {@code nid=6699} from 19 on). The
 * dump takes a safepoint, so it is read between iterations, never while measuring.
 */
final class NativeThreadIds {
    private static final Pattern THREAD_LINE = Pattern.compile("^\".*\" #(\\d+) .*?\\bnid=(0x[0-9a-fA-F]+|\\d+)\\b");

    private NativeThreadIds() {
    }

    /** Java thread id to Linux thread id, for every platform thread alive at the dump. */
    static Map<Long, Long> ofThisJvm() {
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

    static Map<Long, Long> parse(String threadDump) {
        Map<Long, Long> ids = new HashMap<>();
        for (String line : threadDump.split("\n")) {
            Matcher thread = THREAD_LINE.matcher(line);
            if (thread.find()) {
                String nid = thread.group(2);
                long tid = nid.startsWith("0x") ? Long.parseLong(nid.substring(2), 16) : Long.parseLong(nid);
                ids.put(Long.parseLong(thread.group(1)), tid);
            }
        }
        return ids;
    }
}
