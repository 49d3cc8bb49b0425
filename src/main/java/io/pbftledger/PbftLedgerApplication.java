package io.pbftledger;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Spring Boot application of one replica; started by the {@code node} CLI command. */
@SpringBootApplication
public class PbftLedgerApplication {
}
