package io.pbftledger.api;

import io.pbftledger.chain.ErrorKind;
import io.pbftledger.chain.LedgerException;
import java.util.ArrayDeque;
import java.util.Deque;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Streams once through a JSON body and refuses it, naming the place as a JSONPath
 * ({@code $.payload.a[2].b}), when it breaks a {@link JsonLimits} limit. It holds only the open
 * containers, never a tree, and stops at the first broken limit. For a single body, syntax errors
 * are left to the binding parser, which reports them with line and column; for a batch
 * ({@link #checkBatch}) this pass is the whole check before any item is submitted, so it refuses
 * bad syntax and content after the array too, and stops reading at the first item over the batch's
 * count. The streaming parser's own constraints sit just above ours as a backstop; a token far over
 * a length limit trips them while it is still being read, and the refusal is then ours all the same
 * (the limit's name and the place).
 */
final class JsonLimitScanner {
    private static final int PATH_MAX_CHARS = 120;

    private final JsonLimits limits;
    private final JsonMapper streaming;

    JsonLimitScanner(JsonLimits limits) {
        this.limits = limits;
        // No token-count backstop here: a batch counts its tokens per item, below.
        this.streaming = JsonMapper.builder(JsonFactory.builder().streamReadConstraints(constraintsAbove(limits, false))
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
    }

    /**
     * Constraints one step looser than {@code limits}: Jackson's own checks as a backstop; with
     * {@code perDocumentTokens}, the token count of the whole document too (a body of one transaction).
     */
    static StreamReadConstraints constraintsAbove(JsonLimits limits, boolean perDocumentTokens) {
        StreamReadConstraints.Builder b = StreamReadConstraints.builder()
                .maxNestingDepth(limits.maxDepth() + 1)
                .maxStringLength(limits.maxStringLength() + 1)
                .maxNumberLength(limits.maxNumberLength() + 1)
                .maxNameLength(limits.maxNameLength() + 1);
        if (perDocumentTokens) {
            b.maxTokenCount(limits.maxTokens() + 1L);
        }
        return b.build();
    }

    private static final class Frame {
        final boolean array;
        int index = -1;
        int properties;
        String name;

        Frame(boolean array) {
            this.array = array;
        }
    }

    /** Throws {@link LedgerException} INVALID at the first broken limit; returns quietly otherwise (or on bad syntax). */
    void check(byte[] body) {
        try (JsonParser p = streaming.createParser(body)) {
            scan(p, 0);
        } catch (JacksonException e) {
            // Syntax errors are described by the binding parser with line and column.
        }
    }

    /**
     * The check of a batch body: limits as for one body, with the token limit per item, and bad
     * syntax refused (INVALID) since nothing parses the body as a whole afterwards. A top-level
     * array with more than {@code maxItems} items is refused (TOO_LARGE) as soon as item
     * {@code maxItems + 1} starts: nothing after it is read.
     */
    void checkBatch(byte[] body, int maxItems) {
        try (JsonParser p = streaming.createParser(body)) {
            scan(p, maxItems);
        } catch (JacksonException e) {
            throw LedgerException.invalid(StrictJson.describe(e));
        }
    }

    /** One pass; {@code batchItems} above 0 makes a top-level array a batch of at most that many items. */
    private void scan(JsonParser p, int batchItems) {
        Deque<Frame> frames = new ArrayDeque<>();
        long tokens = 0;
        boolean rootRead = false;
        // whether the token being read was already counted as an element of the array it is in
        boolean placed = false;
        try {
            while (true) {
                placed = false;
                JsonToken t = p.nextToken();
                if (t == null) {
                    break;
                }
                if (frames.isEmpty()) {
                    if (rootRead) {
                        throw LedgerException.invalid("malformed JSON" + StrictJson.where(p.currentTokenLocation())
                                + ": content after the end of the JSON value");
                    }
                    rootRead = true;
                }
                boolean itemStart = batchItems > 0 && frames.size() == 1 && frames.peek().array
                        && t != JsonToken.END_ARRAY;
                if (itemStart) {
                    Frame batch = frames.peek();
                    if (batch.index + 1 >= batchItems) {
                        throw new LedgerException(ErrorKind.TOO_LARGE, "a batch holds at most " + batchItems
                                + " transactions; reading stopped at item " + (batchItems + 1));
                    }
                    tokens = 0;
                }
                if (++tokens > limits.maxTokens()) {
                    throw LedgerException.invalid("more than " + limits.maxTokens() + " JSON tokens in "
                            + (batchItems > 0 && !frames.isEmpty() && frames.getLast().array ? "one batch item" : "the body")
                            + ", at " + path(frames, true) + " (ledger.api.json-max-tokens)");
                }
                if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    frames.pop();
                    continue;
                }
                if (t == JsonToken.PROPERTY_NAME) {
                    property(frames.peek(), p.currentName(), frames);
                    continue;
                }
                Frame parent = frames.peek();
                if (parent != null && parent.array) {
                    parent.index++;
                    placed = true;
                    boolean batchArray = batchItems > 0 && frames.size() == 1;
                    if (!batchArray && parent.index >= limits.maxArrayElements()) {
                        throw LedgerException.invalid("JSON array at " + path(frames, false) + " has more than "
                                + limits.maxArrayElements() + " elements (ledger.api.json-max-array-elements)");
                    }
                }
                value(t, p, frames);
            }
        } catch (StreamConstraintsException e) {
            throw LedgerException.invalid(backstop(e, frames, placed));
        }
    }

    /**
     * Our refusal for a limit the parser's backstop caught first: far over a length limit, Jackson
     * trips while it still reads the token (a name or number) or its text (a string), before this
     * scan could look at it. The limit is told by Jackson's message; the place is where the scan is.
     */
    private String backstop(StreamConstraintsException e, Deque<Frame> frames, boolean placed) {
        String said = String.valueOf(e.getOriginalMessage());
        Frame parent = frames.peek();
        if (!placed && parent != null && parent.array) {
            // the value being read is the next element
            parent.index++;
        }
        if (said.startsWith("Name length")) {
            return "JSON property name longer than " + limits.maxNameLength() + " characters in the object at "
                    + path(frames, false) + " (ledger.api.json-max-name-length)";
        }
        if (said.startsWith("String value length")) {
            return "JSON string longer than " + limits.maxStringLength() + " characters at " + path(frames, true)
                    + " (ledger.api.json-max-string-length)";
        }
        if (said.startsWith("Number value length")) {
            return "JSON number longer than " + limits.maxNumberLength() + " characters at " + path(frames, true)
                    + " (ledger.api.json-max-number-length)";
        }
        if (said.startsWith("Document nesting depth")) {
            return "JSON nesting deeper than " + limits.maxDepth() + " at " + path(frames, true) + " (ledger.api.json-max-depth)";
        }
        return StrictJson.describe(e);
    }

    private void property(Frame object, String name, Deque<Frame> frames) {
        object.properties++;
        if (object.properties > limits.maxProperties()) {
            throw LedgerException.invalid("JSON object at " + path(frames, false) + " has more than " + limits.maxProperties()
                    + " properties (ledger.api.json-max-properties)");
        }
        if (name.length() > limits.maxNameLength()) {
            throw LedgerException.invalid("JSON property name longer than " + limits.maxNameLength()
                    + " characters in the object at " + path(frames, false) + " (ledger.api.json-max-name-length)");
        }
        object.name = name;
    }

    private void value(JsonToken t, JsonParser p, Deque<Frame> frames) {
        switch (t) {
            case START_OBJECT, START_ARRAY -> {
                if (frames.size() + 1 > limits.maxDepth()) {
                    throw LedgerException.invalid("JSON nesting deeper than " + limits.maxDepth() + " at " + path(frames, true)
                            + " (ledger.api.json-max-depth)");
                }
                frames.push(new Frame(t == JsonToken.START_ARRAY));
            }
            case VALUE_STRING -> {
                if (p.getTextLength() > limits.maxStringLength()) {
                    throw LedgerException.invalid("JSON string longer than " + limits.maxStringLength()
                            + " characters at " + path(frames, true) + " (ledger.api.json-max-string-length)");
                }
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                if (p.getTextLength() > limits.maxNumberLength()) {
                    throw LedgerException.invalid("JSON number longer than " + limits.maxNumberLength()
                            + " characters at " + path(frames, true) + " (ledger.api.json-max-number-length)");
                }
            }
            default -> {
                // true, false, null: nothing to limit
            }
        }
    }

    /**
     * The JSONPath of the current value, e.g. {@code $.payload.items[3]}, or with {@code toValue}
     * false of the innermost container; long paths keep their end.
     */
    private static String path(Deque<Frame> frames, boolean toValue) {
        StringBuilder sb = new StringBuilder("$");
        var it = frames.descendingIterator();
        while (it.hasNext()) {
            Frame f = it.next();
            if (!toValue && !it.hasNext()) {
                break;
            }
            if (f.array) {
                if (f.index >= 0) {
                    sb.append('[').append(f.index).append(']');
                }
            } else if (f.name != null) {
                sb.append(isIdentifier(f.name) ? "." + f.name : "['" + ApiInputs.abbreviate(f.name).replace("'", "\\'") + "']");
            }
        }
        return sb.length() <= PATH_MAX_CHARS ? sb.toString() : "$…" + sb.substring(sb.length() - PATH_MAX_CHARS);
    }

    private static boolean isIdentifier(String name) {
        if (name.isEmpty() || name.length() > 64) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(Character.isLetterOrDigit(c) && c < 128 || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }
}
