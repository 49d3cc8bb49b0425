package io.pbftledger.api;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

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

    /** An RFC 9457 answer: status, media type, the exact one-line detail and no stack trace. */
    static ResultMatcher problem(int status, String detail) {
        ResultMatcher[] all = {
                status().is(status),
                content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON),
                jsonPath("$.status").value(status),
                jsonPath("$.title").isNotEmpty(),
                jsonPath("$.detail").value(detail),
                jsonPath("$.trace").doesNotExist(),
                jsonPath("$.exception").doesNotExist()};
        return result -> {
            for (ResultMatcher matcher : all) {
                matcher.match(result);
            }
        };
    }

    /** As {@link #problem}, with a detail that contains {@code fragment}. */
    static ResultMatcher problemContaining(int status, String fragment) {
        ResultMatcher[] all = {
                status().is(status),
                content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON),
                jsonPath("$.status").value(status),
                jsonPath("$.detail").value(org.hamcrest.Matchers.containsString(fragment))};
        return result -> {
            for (ResultMatcher matcher : all) {
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
