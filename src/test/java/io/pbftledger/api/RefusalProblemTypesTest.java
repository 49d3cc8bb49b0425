package io.pbftledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.chain.ErrorKind;
import io.pbftledger.chain.LedgerException;
import io.pbftledger.chain.UnknownClientException;
import io.pbftledger.node.RateLimitedException;
import io.pbftledger.web.ProblemType;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every refusal becomes one kind of problem, and keeps the HTTP status its kind always had. */
class RefusalProblemTypesTest {
    @Test
    void eachKindOfRefusalHasItsProblemTypeAndStatus() {
        Map<ErrorKind, ProblemType> expected = new EnumMap<>(Map.of(
                ErrorKind.INVALID, ProblemType.INVALID_REQUEST,
                ErrorKind.BAD_SIGNATURE, ProblemType.INVALID_SIGNATURE,
                ErrorKind.FORBIDDEN, ProblemType.FORBIDDEN,
                ErrorKind.NOT_FOUND, ProblemType.NOT_FOUND,
                ErrorKind.CONFLICT, ProblemType.NONCE_REUSED,
                ErrorKind.TOO_LARGE, ProblemType.PAYLOAD_TOO_LARGE,
                ErrorKind.OVERLOADED, ProblemType.OVERLOADED,
                ErrorKind.UNAVAILABLE, ProblemType.UNAVAILABLE));
        Map<ErrorKind, Integer> statuses = new EnumMap<>(Map.of(ErrorKind.INVALID, 400, ErrorKind.BAD_SIGNATURE, 401,
                ErrorKind.FORBIDDEN, 403, ErrorKind.NOT_FOUND, 404, ErrorKind.CONFLICT, 409, ErrorKind.TOO_LARGE, 413,
                ErrorKind.OVERLOADED, 429, ErrorKind.UNAVAILABLE, 503));

        assertThat(expected).containsOnlyKeys(ErrorKind.values());
        for (ErrorKind kind : ErrorKind.values()) {
            ProblemType type = ApiExceptionHandler.typeOf(new LedgerException(kind, "why"));
            assertThat(type).as(kind.name()).isEqualTo(expected.get(kind));
            assertThat(type.status()).as(kind.name()).isEqualTo(statuses.get(kind));
        }
    }

    @Test
    void aClientThatIsNoMemberIsAnUnknownClientNotAForbiddenOne() {
        assertThat(ApiExceptionHandler.typeOf(UnknownClientException.notAMember("mallory")))
                .isEqualTo(ProblemType.UNKNOWN_CLIENT);
    }

    @Test
    void aRateLimitSaysWhoseLimitWasReached() {
        assertThat(ApiExceptionHandler.typeOf(new RateLimitedException("over its rate", 2)))
                .isEqualTo(ProblemType.RATE_LIMITED);
        assertThat(ApiExceptionHandler.typeOf(new RateLimitedException(RateLimitedException.Scope.MEMPOOL, "full", 1)))
                .isEqualTo(ProblemType.MEMPOOL_FULL);
        assertThat(ApiExceptionHandler.typeOf(new RateLimitedException(RateLimitedException.Scope.REPLICA, "busy", 5)))
                .isEqualTo(ProblemType.OVERLOADED);
    }

    @Test
    void aBatchItemsProblemIsTheRefusalsKindWithoutInstance() {
        Problem problem = ApiExceptionHandler.problemOf(UnknownClientException.notAMember("mallory"));

        assertThat(problem).isEqualTo(new Problem(ProblemType.UNKNOWN_CLIENT.uri(), "Forbidden", 403,
                "client 'mallory' is not a member of this ledger", null));
    }
}
