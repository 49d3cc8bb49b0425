package io.pbftledger.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.StringJoiner;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * Strict YAML reading and careful writing shared by the membership file and the key files:
 * unknown fields, duplicate keys and fractional numbers are errors, every error becomes one line
 * naming the file, and secret files are created with mode 0600 before any byte is written.
 */
final class MembershipYaml {
    /** Larger files are not configuration; refusing them keeps a wrong path from filling memory. */
    static final long FILE_MAX_BYTES = 4L * 1024 * 1024;

    private static final YAMLMapper MAPPER = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
            .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
            .enable(YAMLWriteFeature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLWriteFeature.INDENT_ARRAYS_WITH_INDICATOR)
            .build();

    private MembershipYaml() {
    }

    /** Reads {@code file} into {@code type}; any problem is a {@link MembershipFileException}. */
    static <T> T read(Path file, Class<T> type) {
        String text = readText(file);
        if (text.lines().allMatch(line -> line.isBlank() || line.strip().startsWith("#"))) {
            throw new MembershipFileException(file, "the file is empty");
        }
        try {
            T value = MAPPER.readValue(text, type);
            if (value == null) {
                throw new MembershipFileException(file, "the file holds no YAML mapping");
            }
            return value;
        } catch (JacksonException e) {
            throw new MembershipFileException(file, describe(e), e);
        }
    }

    static String readText(Path file) {
        try {
            if (Files.isDirectory(file)) {
                throw new MembershipFileException(file, "is a directory, not a file");
            }
            long size = Files.size(file);
            if (size > FILE_MAX_BYTES) {
                throw new MembershipFileException(file, "is " + size + " bytes; a configuration file is at most " + FILE_MAX_BYTES);
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new MembershipFileException(file, "file not found", e);
        } catch (AccessDeniedException e) {
            throw new MembershipFileException(file, "permission denied", e);
        } catch (IOException e) {
            throw new MembershipFileException(file, "cannot read: " + e.getMessage(), e);
        }
    }

    /** YAML text of {@code value}, fields in declaration order. */
    static String write(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    /**
     * Writes {@code text} to {@code file} through a temporary file in the same directory, synced before
     * and after it is renamed into place ({@link DurableFiles}), so a crash never leaves a half-written
     * or empty file. A secret file gets mode 0600 at creation, before any byte of the key is in it.
     */
    static void writeFile(Path file, String text, boolean secret) {
        try {
            DurableFiles.DISK.write(file, text.getBytes(StandardCharsets.UTF_8),
                    secret ? DurableFiles.OWNER_ONLY : DurableFiles.READABLE);
        } catch (FileAlreadyExistsException e) {
            throw new MembershipFileException(file, "cannot write: " + e.getFile() + " exists and is not a directory", e);
        } catch (IOException e) {
            throw new MembershipFileException(file, "cannot write: " + e, e);
        }
    }

    /** One line for a Jackson error: what, where (field path and line). */
    static String describe(JacksonException e) {
        String where = where(e);
        if (e instanceof UnrecognizedPropertyException u) {
            StringJoiner known = new StringJoiner(", ");
            if (u.getKnownPropertyIds() != null) {
                u.getKnownPropertyIds().stream().map(String::valueOf).sorted().forEach(known::add);
            }
            return "unknown field '" + u.getPropertyName() + "'" + where + " (known fields: " + known + ")";
        }
        if (e instanceof MismatchedInputException) {
            return "wrong value" + where + ": " + firstLine(e.getOriginalMessage());
        }
        return "not valid YAML" + where + ": " + firstLine(e.getOriginalMessage());
    }

    private static String where(JacksonException e) {
        StringBuilder out = new StringBuilder();
        String path = path(e.getPath());
        if (!path.isEmpty()) {
            out.append(" at ").append(path);
        }
        TokenStreamLocation location = e.getLocation();
        if (location != null && location.getLineNr() > 0) {
            out.append(" (line ").append(location.getLineNr()).append(')');
        }
        return out.toString();
    }

    private static String path(List<JacksonException.Reference> references) {
        StringBuilder out = new StringBuilder();
        for (JacksonException.Reference ref : references) {
            if (ref.getPropertyName() != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    static String firstLine(String message) {
        if (message == null) {
            return "unknown problem";
        }
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).trim();
    }
}
