package io.pbftledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.chain.ClientMembership;
import io.pbftledger.chain.ExecutedBlock;
import io.pbftledger.chain.Genesis;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.Refusal;
import io.pbftledger.chain.Transaction;
import io.pbftledger.node.CheckpointStore;
import io.pbftledger.node.ClientRegistry;
import io.pbftledger.node.LedgerService;
import io.pbftledger.node.VerifiedTransactions;
import io.pbftledger.storage.JpaLedgerStore;
import io.pbftledger.testing.BrowserTest;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.Import;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

/**
 * The explorer page in headless Chromium, served by the real API over the real store (H2,
 * Flyway-migrated) holding blocks with refused and skipped transactions: the block's transaction
 * list and the transaction page show each outcome as a badge, and a refusal's reason is shown as
 * text, never as markup. A real cluster cannot be made to refuse or skip on cue; this chain can.
 * Also the live feed: refused a stream (its address holds its share), the page tries again until it
 * gets one. Skipped when Chromium and chromedriver are absent.
 */
@SpringBootTest(classes = ExplorerOutcomeBrowserTest.Context.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.datasource.url=jdbc:h2:mem:explorer-outcome-test;DB_CLOSE_DELAY=-1",
                // The readiness group names the node's consensus indicator, which this web-only context lacks.
                "management.endpoint.health.validate-group-membership=false",
                // The page's block stream stays open after the browser quits; a graceful shutdown would wait 30 s for it.
                "server.shutdown=immediate",
                // Streams of a browser that quit are found dead by the next heartbeat.
                "ledger.api.stream-heartbeat-ms=300"})
@BrowserTest
class ExplorerOutcomeBrowserTest {
    private static final Duration UI_TIMEOUT = Duration.ofSeconds(30);
    private static final RefusalChain CHAIN = new RefusalChain();
    /** A stored reason written as markup: the page must show these characters, not build elements from them. */
    private static final String HOSTILE_REASON = "client 'bob' is not a member <img id=\"injected\" src=x> <b>bold</b>";

    /** The api package's web layer with the real JPA store, as TransactionOutcomeApiTest, on a real port. */
    @EnableAutoConfiguration
    @ComponentScan(basePackageClasses = ApiWebConfig.class, excludeFilters = {
            @ComponentScan.Filter(type = FilterType.CUSTOM, classes = TypeExcludeFilter.class),
            // It signs with the replica's key file; this context signs with the fixtures' key below.
            @ComponentScan.Filter(type = FilterType.ASSIGNABLE_TYPE, classes = ReplyAttestationConfig.class)})
    @Import(JpaLedgerStore.class)
    @EntityScan(basePackageClasses = JpaLedgerStore.class)
    @EnableJpaRepositories(basePackageClasses = JpaLedgerStore.class)
    static class Context {
        @Bean
        Membership membership() {
            return CHAIN.membership;
        }

        @Bean
        CheckpointStore checkpointStore() {
            return Mockito.mock(CheckpointStore.class);
        }

        @Bean
        io.pbftledger.node.EpochProofs epochProofs() {
            return Mockito.mock(io.pbftledger.node.EpochProofs.class);
        }

        @Bean
        ReplyAttestor replyAttestor() {
            return new ReplyAttestor(CHAIN.membership, ApiFixtures.REPLICA_KEYS.get(ApiFixtures.SELF), false);
        }

        @Bean
        List<ClientIdentity> demoClientIdentities() {
            return List.of();
        }

        @Bean
        ClientRegistry clientRegistry(Membership membership) {
            return new ClientRegistry(ClientMembership.genesis(membership), new VerifiedTransactions(100));
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    JpaLedgerStore store;
    @MockitoBean
    LedgerService ledger;

    private WebDriver browser;

    @BeforeEach
    void storeTheChainAndOpenABrowser() {
        io.pbftledger.browser.HeadlessChrome.assumeInstalled();
        if (store.blockByHeight(3).isEmpty()) {
            store.initialize(Genesis.of(CHAIN.membership));
            store.loadOrInitialize(ClientMembership.genesis(CHAIN.membership));
            store.append(CHAIN.first);
            store.append(CHAIN.second);
            store.append(withReasons(CHAIN.third, HOSTILE_REASON));
        }
        browser = io.pbftledger.browser.HeadlessChrome.open();
    }

    @AfterEach
    void closeTheBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    /** The block as executed, with every refusal's reason replaced (the stored text is what the page shows). */
    private static ExecutedBlock withReasons(ExecutedBlock executed, String reason) {
        List<Refusal> refusals = executed.refusals().stream()
                .map(r -> new Refusal(r.height(), r.index(), r.txId(), r.clientId(), r.kind(), reason)).toList();
        return new ExecutedBlock(executed.block(), executed.writes(), executed.skipped(), executed.clientsAfter(),
                executed.changes(), refusals);
    }

    private String url(String hash) {
        return "http://127.0.0.1:" + port + "/explorer/index.html" + hash;
    }

    @Test
    void aBlocksTransactionListShowsEachPositionsOutcomeAsABadge() throws Exception {
        WebDriverWait wait = new WebDriverWait(browser, UI_TIMEOUT);
        browser.get(url("#/block/2"));
        wait.until(ExpectedConditions.textToBe(By.id("block-title"), "Block #2"));
        List<WebElement> badges = wait.until(ExpectedConditions.numberOfElementsToBe(
                By.cssSelector("#block-txs .badge.outcome"), 3));
        assertThat(badges).extracting(WebElement::getText).containsExactly(
                "refused: client 'bob' is not a member of this ledger",
                "refused: " + CHAIN.second.refusals().get(1).reason(),
                "executed");
        assertThat(badges.get(0).getAttribute("class")).contains("bad");
        assertThat(badges.get(0).getAttribute("title")).startsWith("FORBIDDEN");

        browser.get(url("#/block/3"));
        wait.until(ExpectedConditions.textToBe(By.id("block-title"), "Block #3"));
        badges = wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#block-txs .badge.outcome"), 4));
        assertThat(badges).extracting(WebElement::getText)
                .containsExactly("skipped", "refused: " + HOSTILE_REASON, "executed", "skipped");
        assertThat(browser.findElements(By.id("injected"))).as("the reason is text, not markup").isEmpty();
        assertThat(browser.findElements(By.cssSelector("#block-txs b"))).isEmpty();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("root-check")));
        screenshot(Path.of("/tmp/explorer-outcome.png"));
    }

    @Test
    void aRefusedTransactionsPageShowsItsRefusalAndAnExecutedOneSaysExecuted() {
        WebDriverWait wait = new WebDriverWait(browser, UI_TIMEOUT);
        Transaction refused = CHAIN.bobAgain;
        browser.get(url("#/tx/" + refused.txId().hex()));
        WebElement outcome = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#tx-outcome .badge")));
        assertThat(outcome.getText()).isEqualTo("refused: " + HOSTILE_REASON);
        assertThat(browser.findElements(By.id("injected"))).isEmpty();

        browser.get(url("#/tx/" + CHAIN.aliceThird.txId().hex()));
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#tx-outcome .badge"), "executed"));
    }

    @Test
    void theLiveFeedComesBackAfterTheReplicaRefusedItsStream() throws Exception {
        List<java.net.Socket> held = holdEveryStreamOfThisAddress();
        WebDriverWait wait = new WebDriverWait(browser, UI_TIMEOUT);
        try {
            browser.get(url("#/"));
            wait.until(ExpectedConditions.textToBe(By.id("live"), "reconnecting\u2026"));
        } finally {
            for (java.net.Socket socket : held) {
                socket.close();
            }
        }

        wait.until(ExpectedConditions.textToBe(By.id("live"), "live"));
    }

    /**
     * Opens block streams from 127.0.0.1 until the address holds its share (four), so that the page's
     * own stream is refused with 429. Streams of earlier tests' browsers are let go by the heartbeats.
     */
    private List<java.net.Socket> holdEveryStreamOfThisAddress() throws Exception {
        List<java.net.Socket> held = new java.util.ArrayList<>();
        long deadline = System.nanoTime() + UI_TIMEOUT.toNanos();
        while (held.size() < BlockStreamController.MAX_SUBSCRIBERS_PER_CLIENT && System.nanoTime() < deadline) {
            java.net.Socket socket = new java.net.Socket("127.0.0.1", port);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /api/v1/blocks/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Accept: text/event-stream\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            StringBuilder status = new StringBuilder();
            for (int b = socket.getInputStream().read(); b >= 0 && b != '\n'; b = socket.getInputStream().read()) {
                status.append((char) b);
            }
            if (status.toString().startsWith("HTTP/1.1 200")) {
                held.add(socket);
            } else {
                socket.close();
                Thread.sleep(300);
            }
        }
        assertThat(held).as("streams held for 127.0.0.1").hasSize(BlockStreamController.MAX_SUBSCRIBERS_PER_CLIENT);
        return held;
    }

    private void screenshot(Path target) throws Exception {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }
}
