package dev.grad4j.autograd;

import java.net.URL;
import java.security.CodeSource;
import java.util.ArrayDeque;

/**
 * Where the user made an op, for anomaly mode only: the first stack frame outside grad4j and the
 * JDK, and the innermost layer the op was made in ({@link AnomalyMode#context}).
 *
 * <p>grad4j's own code is every class of a {@code dev.grad4j} package except the samples (which
 * are user programs) and classes compiled as tests, so an op made in {@code Linear.forward} is
 * reported at the user's line that called the model, not at {@code Linear.java}.
 */
final class CallSite {

    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    private static final ThreadLocal<ArrayDeque<String>> CONTEXT = ThreadLocal.withInitial(ArrayDeque::new);

    private CallSite() {
    }

    /** {@code at Train.main(Train.java:42)}, or {@code in layer 2 (Linear) of Sequential, at Train.main(...)}. */
    static String describe() {
        String frame = WALKER.walk(frames -> frames
                .filter(f -> !isLibrary(f.getDeclaringClass()))
                .findFirst()
                .map(f -> f.getClassName() + "." + f.getMethodName() + "(" + f.getFileName() + ":" + f.getLineNumber() + ")")
                .orElse("<unknown call site>"));
        String layer = CONTEXT.get().peek();
        return layer == null ? "at " + frame : "in " + layer + ", at " + frame;
    }

    static void pushContext(String where) {
        CONTEXT.get().push(where);
    }

    static void popContext() {
        CONTEXT.get().pop();
    }

    static boolean isLibrary(Class<?> c) {
        String n = c.getName();
        if (n.startsWith("java.") || n.startsWith("jdk.") || n.startsWith("sun.")) {
            return true;
        }
        if (!n.startsWith("dev.grad4j.") || n.startsWith("dev.grad4j.samples.")) {
            return false;
        }
        String loc = location(c);
        return loc == null || !loc.endsWith("/test-classes/");
    }

    private static String location(Class<?> c) {
        CodeSource cs = c.getProtectionDomain().getCodeSource();
        URL url = cs == null ? null : cs.getLocation();
        return url == null ? null : url.toString();
    }
}
