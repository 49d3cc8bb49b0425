package io.pbftledger.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.chain.Transaction;
import io.pbftledger.cli.TransactionJson;
import io.pbftledger.crypto.Ed25519;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.MessageCodec;
import io.pbftledger.pbft.message.SigningDomain;
import io.pbftledger.testing.BrowserTest;
import io.pbftledger.testing.ProcessTest;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The explorer's block page checks the block's commit certificate in the browser (WebCrypto Ed25519)
 * against the replica set of the epoch that ordered it, from GET /api/v1/membership/history.
 * A real 4-replica cluster ({@link LocalCluster}) commits a block; headless Chromium verifies its certificate, and the COMMIT signing
 * bytes the page builds equal MessageCodec's. Then a test-only proxy on 127.0.0.1 in front of replica 0
 * alters the block's answer (a signature, a signer, the view, the number of signers) and the page must
 * flag each. Skipped when Chromium and chromedriver are absent.
 */
@BrowserTest
@ProcessTest
class ExplorerCertificateBrowserTest {
    private static final Duration UI_TIMEOUT = Duration.ofSeconds(30);
    private static final int REPLICAS = 4;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern BLOCK_PATH = Pattern.compile("/api/v1/blocks/\\d+");

    @TempDir
    static Path dir;
    private static LocalCluster cluster;
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static long height;
    private static HttpServer proxy;
    /** What the proxy does to a block's JSON on its way to the browser (null: nothing). */
    private static volatile Consumer<ObjectNode> tamper;

    private WebDriver browser;

    @BeforeAll
    static void startTheClusterAndCommitABlock() throws Exception {
        io.pbftledger.browser.HeadlessChrome.assumeInstalled();
        cluster = LocalCluster.start(dir, REPLICAS, 1);
        ClientIdentity client = cluster.clients.get(0);
        Transaction tx = client.sign(1, "certificate-check", "{\"checked\":\"in the browser\"}");
        HttpResponse<String> submitted = post(0, "/api/v1/transactions?wait=true&waitMs=30000", TransactionJson.body(tx));
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(200);
        height = json(get(0, "/api/v1/transactions/" + tx.txId().hex())).get("blockHeight").asLong();
        assertThat(height).isPositive();

        proxy = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        proxy.createContext("/", ExplorerCertificateBrowserTest::proxyToReplica0);
        proxy.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "explorer-test-proxy");
            t.setDaemon(true);
            return t;
        }));
        proxy.start();
    }

    @AfterAll
    static void stopTheCluster() {
        if (proxy != null) {
            proxy.stop(0);
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void openABrowser() {
        browser = io.pbftledger.browser.HeadlessChrome.open();
    }

    @AfterEach
    void closeTheBrowser() {
        tamper = null;
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void aRealCertificateVerifiesInTheBrowserOverTheSameBytesAsMessageCodec() throws Exception {
        JsonNode block = json(get(0, "/api/v1/blocks/" + height));
        JsonNode history = json(get(0, "/api/v1/membership/history"));
        String genesisHash = history.get("genesisHash").asString();
        assertThat(json(get(0, "/api/v1/blocks/0")).get("hash").asString())
                .as("the history's genesisHash is the genesis block's hash").isEqualTo(genesisHash);
        JsonNode certificate = block.get("certificate");
        assertThat(certificate.size()).isBetween(3, 4);

        WebDriverWait wait = new WebDriverWait(browser, UI_TIMEOUT);
        browser.get(url(0) + "/explorer/index.html#/block/" + height);
        WebElement check = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#cert-check:not(.hint)")));

        // The page's COMMIT bytes are MessageCodec's, byte for byte, and the replicas' signatures cover them.
        for (JsonNode entry : certificate) {
            int replica = entry.get("replica").asInt();
            byte[] expected = MessageCodec.signingBytes(new SigningDomain(Digest.fromHex(genesisHash)),
                    new Commit(replica, block.get("view").asLong(), block.get("sequence").asLong(),
                            Digest.fromHex(block.get("batchDigest").asString())));
            Object fromPage = ((JavascriptExecutor) browser).executeScript(
                    "return bytesToHex(commitSigningBytes(arguments[0], arguments[1], arguments[2], arguments[3], arguments[4]));",
                    genesisHash, replica, block.get("view").asLong(), block.get("sequence").asLong(),
                    block.get("batchDigest").asString());
            assertThat(fromPage).as("COMMIT signing bytes of replica " + replica).isEqualTo(HexFormat.of().formatHex(expected));
            String key = history.get("genesis").get(replica).get("publicKey").asString();
            assertThat(history.get("genesis").get(replica).get("id").asInt()).isEqualTo(replica);
            assertThat(Ed25519.PublicKey.fromBase64(key).verify(expected, Base64.getDecoder().decode(entry.get("signature").asString())))
                    .as("replica " + replica + "'s signature over MessageCodec's bytes").isTrue();
        }

        List<String> signers = new ArrayList<>();
        certificate.forEach(e -> signers.add(String.valueOf(e.get("replica").asInt())));
        signers.sort(null);
        assertThat(check.getText()).isEqualTo("✓ certificate verified in this browser: replicas ["
                + String.join(", ", signers) + "] of epoch 0 (3 of 4)");
        assertThat(check.getAttribute("class").split(" ")).contains("ok").doesNotContain("bad");
        assertThat(browser.findElements(By.cssSelector("#block-certificate .badge.ok")))
                .extracting(WebElement::getText).hasSize(certificate.size()).containsOnly("✓ verifies");
        assertThat(wait.until(ExpectedConditions.presenceOfElementLocated(By.id("root-check"))).getText())
                .startsWith("✓ transactionsRoot matches");
        screenshot("explorer-certificate-verified.png");
    }

    @Test
    void aTamperedCertificateIsFlaggedNamingTheProblem() throws Exception {
        tamper = block -> {
            ObjectNode first = (ObjectNode) block.get("certificate").get(0);
            byte[] signature = Base64.getDecoder().decode(first.get("signature").asString());
            signature[10] ^= 0x01;
            first.put("signature", Base64.getEncoder().encodeToString(signature));
        };
        int firstSigner = json(get(0, "/api/v1/blocks/" + height)).get("certificate").get(0).get("replica").asInt();
        WebElement check = showThroughTheProxy("signature");
        new WebDriverWait(browser, UI_TIMEOUT).until(ExpectedConditions.textToBe(By.id("live"), "live"));
        assertThat(check.getText()).contains("✗ certificate does not verify against epoch 0",
                "the signature of replica " + firstSigner + " does not verify with its key in epoch 0");
        assertThat(browser.findElements(By.cssSelector("#block-certificate tr.sig-bad"))).hasSize(1);
        assertThat(browser.findElement(By.id("root-check")).getText()).as("the transactions were not touched")
                .startsWith("✓ transactionsRoot matches");
        screenshot("explorer-certificate.png");

        tamper = block -> ((ObjectNode) block.get("certificate").get(0)).put("replica", 7);
        assertThat(showThroughTheProxy("stranger").getText()).contains("replica 7 is not a member of epoch 0");

        tamper = block -> block.put("view", 1_000_000_000L + block.get("view").asLong());
        assertThat(showThroughTheProxy("view").getText()).containsPattern(
                "view 100000000\\d is of epoch 1, not in epoch 0 that orders sequence \\d+");

        tamper = block -> {
            ArrayNode certificate = (ArrayNode) block.get("certificate");
            while (certificate.size() > 2) {
                certificate.remove(certificate.size() - 1);
            }
        };
        WebElement tooFew = showThroughTheProxy("few");
        assertThat(tooFew.getText()).contains("too few signers: 2 distinct valid signatures, 3 of 4 needed");
        assertThat(tooFew.getText()).doesNotContain("signature of replica");
    }

    /** Opens the block page through the proxy (a new page load: the query differs) and waits for the flagged check. */
    private WebElement showThroughTheProxy(String tag) {
        browser.get("http://127.0.0.1:" + proxy.getAddress().getPort() + "/explorer/index.html?case=" + tag
                + "#/block/" + height);
        WebElement check = new WebDriverWait(browser, UI_TIMEOUT)
                .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#cert-check:not(.hint)")));
        assertThat(check.getAttribute("class").split(" ")).as(check.getText()).contains("bad");
        assertThat(check.getText()).doesNotContain("verified in this browser");
        return check;
    }

    /** Replica 0's answers, each block's JSON altered by {@link #tamper}; an empty block stream. */
    private static void proxyToReplica0(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            if (path.equals("/api/v1/blocks/stream")) {
                holdAnEmptyStream(exchange);
                return;
            }
            String query = exchange.getRequestURI().getRawQuery();
            HttpRequest request = HttpRequest.newBuilder(URI.create(url(0) + path + (query == null ? "" : "?" + query)))
                    .timeout(Duration.ofSeconds(30)).GET().build();
            HttpResponse<byte[]> answer = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            byte[] body = answer.body();
            Consumer<ObjectNode> change = tamper;
            if (change != null && BLOCK_PATH.matcher(path).matches() && answer.statusCode() == 200) {
                ObjectNode block = (ObjectNode) JSON.readTree(body);
                change.accept(block);
                body = JSON.writeValueAsBytes(block);
            }
            answer.headers().firstValue("Content-Type").ifPresent(t -> exchange.getResponseHeaders().set("Content-Type", t));
            exchange.sendResponseHeaders(answer.statusCode(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A block stream without blocks (the page stays "live"), until the browser leaves or a minute passes. */
    private static void holdAnEmptyStream(HttpExchange exchange) throws IOException, InterruptedException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        try {
            while (System.nanoTime() < deadline) {
                out.write(":\n\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread.sleep(500);
            }
        } catch (IOException gone) {
            // the page was left
        }
    }

    private void screenshot(String name) throws IOException {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Path target = Path.of("target", name);
        Files.createDirectories(target.getParent());
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        // As ExplorerBrowserTest: docs/ is refreshed only on request, so a test run never edits tracked files.
        if (Boolean.getBoolean("explorer.screenshot.update") && name.equals("explorer-certificate.png")) {
            Files.copy(shot.toPath(), Path.of("docs", name), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String url(int replica) {
        return cluster.url(replica);
    }

    private static HttpResponse<String> get(int replica, String path) throws IOException, InterruptedException {
        return cluster.get(replica, path);
    }

    private static HttpResponse<String> post(int replica, String path, String json) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url(replica) + path)).timeout(Duration.ofSeconds(70))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

}
