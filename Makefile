SHELL := /bin/bash
MVN ?= mvn -B

.DEFAULT_GOAL := build
.PHONY: build test

## build: compile and package the runnable jars (tests skipped)
build:
	$(MVN) -q package -DskipTests

## test: every test of every module (the command CI runs)
test:
	$(MVN) verify
