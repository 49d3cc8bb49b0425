package io.pbftledger.api;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.pbftledger.web.ProblemType;
import java.util.Arrays;
import java.util.List;
import org.hamcrest.Matchers;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.RequestBuilder;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.ResultHandler;
import org.springframework.test.web.servlet.ResultMatcher;

/** Runs a request to its final answer, following an async (DeferredResult) dispatch when there is one. */
final class MvcResults {
    private MvcResults() {
    }

    static ResultActions perform(MockMvc mvc, RequestBuilder request) throws Exception {
        MvcResult first = mvc.perform(request).andReturn();
        if (first.getRequest().isAsyncStarted()) {
            return mvc.perform(asyncDispatch(first));
        }
        return actions(first);
    }

    /**
     * An RFC 9457 answer: status, media type, a type of the catalogue with that status, the reason
     * phrase as title, the exact one-line detail and no stack trace.
     */
    static ResultMatcher problem(int status, String detail) {
        return all(status().is(status),
                content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON),
                jsonPath("$.status").value(status),
                jsonPath("$.type").value(Matchers.in(typesOf(status))),
                jsonPath("$.title").value(HttpStatus.valueOf(status).getReasonPhrase()),
                jsonPath("$.detail").value(detail),
                jsonPath("$.trace").doesNotExist(),
                jsonPath("$.exception").doesNotExist());
    }

    /** As {@link #problem(int, String)}, of exactly this kind. */
    static ResultMatcher problem(ProblemType type, String detail) {
        return all(problem(type.status(), detail), jsonPath("$.type").value(type.uri()));
    }

    /** As {@link #problem(int, String)}, with a detail that contains {@code fragment}. */
    static ResultMatcher problemContaining(int status, String fragment) {
        return all(status().is(status),
                content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON),
                jsonPath("$.status").value(status),
                jsonPath("$.type").value(Matchers.in(typesOf(status))),
                jsonPath("$.detail").value(Matchers.containsString(fragment)));
    }

    /** As {@link #problemContaining(int, String)}, of exactly this kind. */
    static ResultMatcher problemContaining(ProblemType type, String fragment) {
        return all(problemContaining(type.status(), fragment), jsonPath("$.type").value(type.uri()));
    }

    /** The type URIs of the kinds with this status. */
    static List<String> typesOf(int status) {
        return Arrays.stream(ProblemType.values()).filter(type -> type.status() == status).map(ProblemType::uri).toList();
    }

    private static ResultMatcher all(ResultMatcher... matchers) {
        return result -> {
            for (ResultMatcher matcher : matchers) {
                matcher.match(result);
            }
        };
    }

    static ResultActions actions(MvcResult result) {
        return new ResultActions() {
            @Override
            public ResultActions andExpect(ResultMatcher matcher) throws Exception {
                matcher.match(result);
                return this;
            }

            @Override
            public ResultActions andDo(ResultHandler handler) throws Exception {
                handler.handle(result);
                return this;
            }

            @Override
            public MvcResult andReturn() {
                return result;
            }
        };
    }
}
