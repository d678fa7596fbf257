package dev.grad4j.autograd;

import dev.grad4j.api.Tensor;

import java.net.URL;
import java.security.CodeSource;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Finds the user's own frame (the first outside grad4j and the JDK); used by anomaly mode only. */
final class CallSite {

    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    private static final Set<String> LIBRARY = ConcurrentHashMap.newKeySet();

    static {
        register(Tensor.class);
        register(Variable.class);
    }

    private CallSite() {
    }

    /** Marks the jar (or classes folder) holding {@code c} as library code, skipped when looking for the call site. */
    static void register(Class<?> c) {
        String loc = location(c);
        if (loc != null) {
            LIBRARY.add(loc);
        }
    }

    static String userFrame() {
        return WALKER.walk(frames -> frames
                .filter(f -> !isLibrary(f.getDeclaringClass()))
                .findFirst()
                .map(f -> f.getClassName() + "." + f.getMethodName() + "(" + f.getFileName() + ":" + f.getLineNumber() + ")")
                .orElse("<unknown call site>"));
    }

    private static boolean isLibrary(Class<?> c) {
        String n = c.getName();
        if (n.startsWith("java.") || n.startsWith("jdk.") || n.startsWith("sun.")) {
            return true;
        }
        String loc = location(c);
        return loc == null || LIBRARY.contains(loc);
    }

    private static String location(Class<?> c) {
        CodeSource cs = c.getProtectionDomain().getCodeSource();
        URL url = cs == null ? null : cs.getLocation();
        return url == null ? null : url.toString();
    }
}
