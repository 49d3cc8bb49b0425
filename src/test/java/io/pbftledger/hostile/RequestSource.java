package io.pbftledger.hostile;

import java.util.List;
import java.util.Random;

/** One concern of the hostile run: makes {@code count} requests of its kind from its own seeded random. */
public interface RequestSource {
    Kind kind();

    List<HostileRequest> generate(Random random, Target target, int count);
}
