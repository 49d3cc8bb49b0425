package io.pbftledger.pbft.message;

/** Thrown when bytes from the network are not a well-formed message within the limits. */
public class MessageFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MessageFormatException(String message) {
        super(message);
    }

    public MessageFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
