package io.pbftledger.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ContainerRefusalsTest {
    @Test
    void aTargetTheContainerCouldNotParseIsNamedFromItsMessage() {
        String tomcat = "Invalid character found in the request target [/api\\v1/state/k ]. The valid characters are "
                + "defined in RFC 7230 and RFC 3986";
        assertThat(ContainerRefusals.detail(400, null, null, tomcat))
                .isEqualTo("request path /api\\v1/state/k is not canonical: backslashes are not accepted; "
                        + "spell the path plainly (e.g. /api/v1/state/my-key)");
        assertThat(ContainerRefusals.detail(400, null, null, tomcat.replace("\\", "{")))
                .isEqualTo("request target /api{v1/state/k holds a character RFC 3986 does not allow there "
                        + "(a space, quote, brace or control character); percent-encode it");
    }

    @Test
    void aNonCanonicalTargetGetsTheDetailOfTheCanonicalPathFilterWithoutItsQuery() {
        assertThat(ContainerRefusals.detail(400, "GET", "/api%2fv1/consensus?x=1", "Invalid URI"))
                .startsWith("request path /api%2fv1/consensus is not canonical: percent-encoded");
    }

    @Test
    void anOversizedHeadNamesTheSetting() {
        assertThat(ContainerRefusals.detail(400, null, null, "Request header is too large"))
                .contains("server.max-http-request-header-size");
    }

    @Test
    void otherwiseTheMethodThePathOrTheContainersOwnWordsInOneLine() {
        assertThat(ContainerRefusals.detail(405, "TRACE", "/x", null)).isEqualTo("method TRACE is not supported by /x "
                + "(this server answers TRACE on no path)");
        assertThat(ContainerRefusals.detail(404, "GET", "/nowhere", null)).isEqualTo("no endpoint GET /nowhere");
        assertThat(ContainerRefusals.detail(400, "GET", "/ok", "first line\nsecond line\u0007"))
                .isEqualTo("the HTTP server refused the request to /ok: first line");
        assertThat(ContainerRefusals.detail(418, "GET", "/ok", null))
                .isEqualTo("the HTTP server refused the request to /ok with status 418 before the ledger read it");
    }
}
