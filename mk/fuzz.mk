# The one libFuzzer recipe, for every component's `make fuzz`.
# A Makefile sets these, then includes this file (after its `all:`, so that
# `all` stays the default goal):
#   FUZZ_DIR            where the binaries, logs and scratch corpora go
#   FUZZERS             the targets' names, each one binary $(FUZZ_DIR)/NAME
#   FUZZ_SRCS_NAME      the sources linked into NAME (the harness first)
#   FUZZ_CORPUS_NAME    NAME's committed seeds (read only)
#   FUZZ_CFLAGS         flags beyond -g -O1 and the sanitizers (-std, -I, -D...)
#   FUZZ_LDLIBS         libraries
#   FUZZ_DEPS           more files whose change rebuilds every target (headers)
#   FUZZ_SECONDS_NAME   how long NAME runs (default FUZZ_SECONDS, default 60)
#   FUZZ_ARGS_NAME      more libFuzzer options for NAME (-dict=, -max_len=)
# `make fuzz` runs every target for its seconds (mk/fuzz-run.sh: a scratch
# corpus seeded from the committed one, artifacts apart, executions and
# crashes printed) and fails if any crashed.
FUZZ_MK_DIR := $(dir $(lastword $(MAKEFILE_LIST)))
CLANG ?= clang
FUZZ_SECONDS ?= 60
FUZZ_SANITIZE := -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all

define fuzz_target
$(FUZZ_DIR)/$(1): $$(FUZZ_SRCS_$(1)) $$(FUZZ_DEPS)
	@mkdir -p $$(@D)
	$$(CLANG) -g -O1 $$(FUZZ_SANITIZE) $$(FUZZ_CFLAGS) -o $$@ \
		$$(FUZZ_SRCS_$(1)) $$(FUZZ_LDLIBS)
endef
$(foreach f,$(FUZZERS),$(eval $(call fuzz_target,$(f))))

.PHONY: fuzz
fuzz: $(FUZZERS:%=$(FUZZ_DIR)/%)
	@rc=0; $(foreach f,$(FUZZERS),$(FUZZ_MK_DIR)fuzz-run.sh $(FUZZ_DIR)/$(f) \
		$(or $(FUZZ_SECONDS_$(f)),$(FUZZ_SECONDS)) $(FUZZ_CORPUS_$(f)) \
		$(FUZZ_ARGS_$(f)) || rc=1;) exit $$rc
