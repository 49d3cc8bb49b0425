#!/bin/sh
# The pbft-ledger command inside the image: the Spring Boot launcher over the extracted layers
# (faster start and better layer reuse than java -jar). Arguments go to the CLI unchanged.
exec java -cp /opt/pbft-ledger/app org.springframework.boot.loader.launch.JarLauncher "$@"
