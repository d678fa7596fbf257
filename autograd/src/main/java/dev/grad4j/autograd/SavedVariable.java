package dev.grad4j.autograd;

/**
 * A variable an op keeps for its backward, with the version its data had when it was saved.
 * {@link #get()} fails if the graph was released by an earlier backward, or if the data was
 * modified in place since (the gradient would silently be wrong).
 */
public final class SavedVariable {

    private final Node owner;
    private final int index;
    private Variable variable;
    private final int version;
    SavedVariable next;

    SavedVariable(Node owner, int index, Variable variable) {
        this.owner = owner;
        this.index = index;
        this.variable = variable;
        this.version = variable.data().version();
    }

    /** The saved variable, after checking it is still valid. */
    public Variable get() {
        Variable v = variable;
        if (v == null) {
            throw new IllegalStateException(Node.secondBackwardMessage(owner));
        }
        int now = v.data().version();
        if (now != version) {
            throw new IllegalStateException("one of the variables needed for gradient computation has been modified by an "
                    + "in-place operation: saved variable " + index + " of " + owner.name() + " ("
                    + (v.name() != null ? "'" + v.name() + "' " : "") + v.dtype() + " " + v.shape()
                    + ") is at version " + now + "; expected version " + version + " instead. Hint: use an out-of-place "
                    + "op (e.g. add instead of addInPlace), or modify a copy of the data.");
        }
        return v;
    }

    void release() {
        variable = null;
    }
}
