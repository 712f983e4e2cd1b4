SHELL := /bin/bash
MVN ?= ./mvnw -B

# How many agencies, and for generated data how many bets each and from which seed.
AGENCIES ?= 5
BETS ?= 20000
SEED ?= 7574
COMPOSE_FILE ?= docker-compose-dev.yaml

CLIENT_JAR := agency-client/target/agency-client.jar
TOOLS_JAR := agency-client/target/agency-client-tools.jar
SERVER_JAR := reactor-server/target/reactor-server.jar
# What the jars are made of: a change to any of these packages them again. `run` and `bench`
# build only then, so that the class caches recorded for the jars hold from one run to the next
# (packaging rewrites a jar, and a new jar means a new cache).
SOURCES = $(shell find pom.xml wire agency-client reactor-server \( -name target -o -name '.*' \) -prune -o -type f -print)
GENERATOR := ar.loteria.agency.dataset.GenerateDataset

.DEFAULT_GOAL := help
.PHONY: help build test dataset docker-image docker-compose-up docker-compose-down docker-compose-logs run bench

## help: list the targets
help:
	@grep -E '^## ' $(MAKEFILE_LIST) | sed 's/^## /  make /'

## build: compile and package the runnable jars and the agency's tools jar (tests skipped)
build:
	$(MVN) -q package -DskipTests

## test: every test of every module (the command CI runs)
test:
	$(MVN) verify

$(SERVER_JAR) $(CLIENT_JAR) $(TOOLS_JAR) &: $(SOURCES)
	$(MVN) -q package -DskipTests
	@touch $(SERVER_JAR) $(CLIENT_JAR) $(TOOLS_JAR) # a jar Maven found up to date keeps its old time, older than the source that changed

## dataset: write .data/agency-1..AGENCIES.csv (BETS each, from SEED), or unzip .data/dataset.zip if it is there
dataset: $(TOOLS_JAR)
	java -cp $(TOOLS_JAR) $(GENERATOR) --out .data --agencies $(AGENCIES) --bets $(BETS) --seed $(SEED)

## docker-image: build the images server:latest and client:latest
docker-image:
	docker build -f reactor-server/Dockerfile -t server:latest .
	docker build -f agency-client/Dockerfile -t client:latest .

## docker-compose-up: build the images, generate the data if missing (with the client image) and docker-compose-dev.yaml for AGENCIES agencies, start
docker-compose-up: docker-image
	@for k in $$(seq 1 $(AGENCIES)); do [ -f .data/agency-$$k.csv ] || missing=yes; done; \
	if [ -n "$$missing" ]; then \
		mkdir -p .data && docker run --rm --user "$$(id -u):$$(id -g)" -v "$(CURDIR)/.data:/data" --entrypoint java client:latest \
			-cp /opt/loteria/agency-tools.jar $(GENERATOR) --out /data --agencies $(AGENCIES) --bets $(BETS) --seed $(SEED); \
	fi
	tools/generar-compose.sh $(COMPOSE_FILE) $(AGENCIES)
	docker compose -f $(COMPOSE_FILE) up -d

## docker-compose-down: stop the containers (SIGTERM, 1 s to exit) and remove them
docker-compose-down:
	docker compose -f $(COMPOSE_FILE) stop -t 1
	docker compose -f $(COMPOSE_FILE) down

## docker-compose-logs: follow the containers' logs
docker-compose-logs:
	docker compose -f $(COMPOSE_FILE) logs -f

## run: the whole system without Docker, AGENCIES agencies as local processes (data generated if missing)
run: $(SERVER_JAR) $(CLIENT_JAR) $(TOOLS_JAR)
	@for k in $$(seq 1 $(AGENCIES)); do [ -f .data/agency-$$k.csv ] || missing=yes; done; \
	if [ -n "$$missing" ]; then java -cp $(TOOLS_JAR) $(GENERATOR) --out .data --agencies $(AGENCIES) --bets $(BETS) --seed $(SEED); fi
	tools/run-local.sh $(AGENCIES)

## bench: the benchmark suite, one table of figure against target (the images are built when a Docker engine answers)
bench: $(SERVER_JAR) $(CLIENT_JAR) $(TOOLS_JAR)
	@if docker info >/dev/null 2>&1; then $(MAKE) --no-print-directory docker-image >/dev/null; fi
	tools/bench.sh
