package io.pbftledger.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.chain.Transaction;
import io.pbftledger.testing.BrowserTest;
import io.pbftledger.testing.ProcessTest;
import java.io.File;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;

/**
 * One real 4-replica cluster: its metrics, readiness and cluster view over HTTP, and the explorer
 * page in headless Chromium following a transaction from submission to its block.
 */
@BrowserTest
@ProcessTest
class ExplorerBrowserTest {
    private static final Duration UI_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    private static LocalCluster cluster;
    private static ClusterProbe probe;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = LocalCluster.start(dir, 4, 1);
        probe = new ClusterProbe(cluster);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aReplicaExposesItsMetricsReadinessAndTheWholeClusterOverHttp() throws Exception {
        Transaction tx = cluster.clients.get(0).sign(1000, "metrics", "{\"probe\":true}");
        assertThat(probe.submit(1, tx, 30_000).statusCode()).isEqualTo(200);

        String metrics = cluster.get(1, "/actuator/prometheus").body();
        assertThat(metrics).contains("pbft_blocks_committed_total", "pbft_transactions_committed_total",
                "pbft_commit_latency_seconds_bucket", "pbft_batch_size_transactions_count", "pbft_view{",
                "pbft_view_changes_total", "pbft_checkpoint_stable_sequence", "pbft_checkpoint_lag_sequences",
                "pbft_peer_reachable{", "pbft_peer_send_queue_messages{", "pbft_messages_dropped_total{",
                "pbft_mempool_size_transactions", "pbft_chain_height");
        assertThat(metrics).containsPattern("pbft_commit_latency_seconds_count\\{[^}]*} [1-9]");
        assertThat(metrics).containsPattern("pbft_messages_received_total\\{[^}]*type=\"commit\"[^}]*} [1-9]");

        HttpResponse<String> readiness = cluster.get(1, "/actuator/health/readiness");
        assertThat(readiness.statusCode()).as(readiness.body()).isEqualTo(200);
        assertThat(readiness.body()).contains("\"consensus\"");

        JsonNode view = ClusterProbe.JSON.readTree(cluster.get(2, "/api/v1/cluster").body());
        assertThat(view.get("replicaId").asInt()).isEqualTo(2);
        assertThat(view.get("replicas")).hasSize(4);
        for (JsonNode member : view.get("replicas")) {
            assertThat(member.get("reachable").asBoolean()).as(member.toString()).isTrue();
            assertThat(member.get("height").asLong()).isGreaterThanOrEqualTo(0);
        }
    }

    @Test
    void theExplorerShowsANewBlockLiveAndItsDetail() throws Exception {
        io.pbftledger.browser.HeadlessChrome.assumeInstalled();
        WebDriver browser = io.pbftledger.browser.HeadlessChrome.open();
        try {
            followATransaction(browser);
        } finally {
            browser.quit();
        }
    }

    private void followATransaction(WebDriver browser) throws Exception {
        WebDriverWait wait = new WebDriverWait(browser, UI_TIMEOUT);
        browser.get(cluster.url(0) + "/explorer");
        assertThat(browser.getCurrentUrl()).endsWith("/explorer/index.html");
        wait.until(ExpectedConditions.attributeContains(By.id("live"), "class", "on"));
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#cluster .replica"), 4));

        ClientIdentity client = cluster.clients.get(0);
        Transaction tx = null;
        for (int nonce = 1; nonce <= 3; nonce++) {
            tx = client.sign(nonce, "account-" + nonce, "{\"balance\":" + (100 * nonce) + ",\"owner\":\"alice\"}");
            HttpResponse<String> r = probe.submit(0, tx, 30_000);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
        JsonNode committed = ClusterProbe.JSON.readTree(cluster.get(0, "/api/v1/transactions/" + tx.txId().hex()).body());
        long height = committed.get("blockHeight").asLong();

        // The row arrives through the event stream (rows of the initial page load are not marked fresh).
        WebElement row = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#blocks tr.fresh[data-height='" + height + "']")));
        row.click();
        wait.until(ExpectedConditions.textToBe(By.id("block-title"), "Block #" + height));
        String shortId = tx.txId().hex().substring(0, 10);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("block-txs"), shortId));
        assertThat(browser.findElements(By.cssSelector("#block-txs .badge.outcome")))
                .as("every transaction of the block took effect").isNotEmpty()
                .extracting(WebElement::getText).containsOnly("executed");
        WebElement check = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("root-check")));
        assertThat(check.getText()).startsWith("✓ transactionsRoot matches");
        assertThat(browser.findElement(By.id("detail")).getText())
                .contains(committed.get("blockHash").asString()).containsPattern("Commit certificate \\([3-4] signed COMMITs\\)");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("cluster"), "primary"));

        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Path target = Path.of("target", "explorer.png");
        Files.createDirectories(target.getParent());
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        // The README's screenshot is refreshed only on request, so a test run never edits tracked files.
        if (Boolean.getBoolean("explorer.screenshot.update")) {
            Files.createDirectories(Path.of("docs"));
            Files.copy(shot.toPath(), Path.of("docs", "explorer.png"), StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
