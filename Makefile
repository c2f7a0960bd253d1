# kameipsec top-level build. See README.md for the two commands that matter:
#   make demo    the seed's host-to-host example, end to end, in a VM
#   make check   everything: dependencies, build, host tests, VM selftests
#
# KDIR: the kernel build tree the module is built against. Default: the tree
# Debian's linux-headers-amd64 installs (the stock kernel the VM boots); else
# the running kernel's. Override with KDIR=/path.
# KFLAVOUR: which kernel the module is built for and the VM boots: empty
# (Debian's -amd64), rt (-rt-amd64, PREEMPT_RT), cloud (-cloud-amd64), or
# debug (KASAN/lockdep/kmemleak, built from linux-source-6.1; make check-debug).

SHELL := /bin/bash
TOP := $(CURDIR)
BUILD := $(TOP)/build

HEADERS_ABI := $(shell dpkg-query -W -f='$${Depends}' linux-headers-amd64 2>/dev/null | \
		 sed -n 's/.*linux-headers-\([0-9.-]*\)-amd64.*/\1/p')
KFLAVOUR ?=
export KFLAVOUR
ifeq ($(KFLAVOUR),debug)
KDIR ?= $(shell selftests/vm/build-debug-kernel.sh --kdir)
else ifneq ($(HEADERS_ABI),)
KDIR ?= /usr/src/linux-headers-$(HEADERS_ABI)$(if $(KFLAVOUR),-$(KFLAVOUR))-amd64
else
KDIR ?= /lib/modules/$(shell uname -r)/build
endif
export KDIR

KSELFTEST_DIR := $(BUILD)/kselftest
export KSELFTEST_DIR

# Host-side test suites: each directory has a 'check' target that prints TAP.
HOST_TEST_DIRS := kmod/pfkey/test kmod/xfrm_compat/test user dist selftests/vm
# Those with libFuzzer targets (mk/fuzz.mk).
FUZZ_DIRS := kmod/pfkey/test kmod/xfrm_compat/test user

.PHONY: all module module-debug user selftests deps kselftest-headers check check-host \
	check-debug check-vm demo demo-run bench bench-run fuzz install clean vm-kernel pki

all: module module-debug user selftests

# Kbuild rebuilds an object when its command line or a dependency changed,
# and switching kernels (KFLAVOUR=rt, cloud, debug, or KDIR=) changes
# neither: the command lines name headers relative to KDIR, and a headers
# package's files are older than the objects. The previous kernel's module
# was kept, and insmod refused it ("Invalid module format"). So each module
# directory records which kernel its objects are for (the tree, its .config
# and release), and loses them when that changes.
# $(call for-this-kernel,MODULE DIR,RECORD FILE)
KERNEL_ID = $(realpath $(KDIR)) $(shell cat $(KDIR)/.config \
	    $(KDIR)/include/generated/utsrelease.h 2>/dev/null | md5sum | cut -c1-16)
define for-this-kernel
	@mkdir -p $(dir $(2)); id='$(KERNEL_ID)'; \
	if [ "$$(cat $(2) 2>/dev/null)" != "$$id" ]; then \
		if [ -e $(1)/kameipsec.ko ]; then \
			echo "  CLEAN   $(1): built for another kernel"; fi; \
		find $(1)/kmod -name '*.o' -delete; \
		rm -f $(1)/kameipsec.o $(1)/kameipsec.mod.o $(1)/kameipsec.ko; \
		echo "$$id" >$(2); \
	fi
endef

module:
	$(call for-this-kernel,$(TOP),$(BUILD)/module.kernel)
	$(MAKE) -C $(KDIR) M=$(TOP) modules

# The module once more with its load-time self-tests (KAMEIPSEC_DEBUG=y: the
# replay window, the SPD index and ACQUIRE suppression against naive models),
# built from a copy of the sources; selftests/module_selftests.sh loads it.
DEBUG_MOD := $(BUILD)/module-debug
module-debug:
	mkdir -p $(DEBUG_MOD)
	find Kbuild kmod \( -name '*.[ch]' -o -name 'Kbuild*' \) -print0 | \
		xargs -0 cp -pu --parents -t $(DEBUG_MOD)
	$(call for-this-kernel,$(DEBUG_MOD),$(DEBUG_MOD)/.kernel)
	$(MAKE) -C $(KDIR) M=$(DEBUG_MOD) KAMEIPSEC_DEBUG=y modules

user:
	$(MAKE) -C user

selftests: kselftest-headers user pki
	$(MAKE) -C selftests

# The certificate tests' PKI (user/racoon-lite/tests/mkcerts.sh), made on
# the host: in a TCG guest openssl took ~110 s of the suite. The tests copy
# it (selftests/racoon_lib.sh make_pki). Remade when mkcerts.sh changes or
# after 7 days (its certificates are valid for 30).
PKI := $(BUILD)/pki
MKCERTS := user/racoon-lite/tests/mkcerts.sh
pki:
	@command -v openssl >/dev/null || { echo "  PKI     none: no openssl"; exit 0; }; \
	if ! [ -f $(PKI)/.complete ] || [ $(MKCERTS) -nt $(PKI)/.complete ] || \
	    [ -n "$$(find $(PKI)/.complete -mtime +6)" ]; then \
		echo "  PKI     $(PKI)"; rm -rf $(PKI) && \
		sh $(MKCERTS) $(PKI) && touch $(PKI)/.complete; \
	fi

kselftest-headers: $(KSELFTEST_DIR)/kselftest.h

$(KSELFTEST_DIR)/kselftest.h:
	scripts/kselftest-headers.sh $(KSELFTEST_DIR)

deps:
	scripts/deps.sh

vm-kernel:
ifeq ($(KFLAVOUR),debug)
	selftests/vm/build-debug-kernel.sh
else
	selftests/vm/fetch-kernel.sh $(BUILD)/kernel $(KFLAVOUR)
endif

check:
	$(FRESH_KDIR) scripts/check.sh

# The whole suite on a debug kernel (about 25 min to build the first time,
# cached under /var/cache/kameipsec), with kmemleak after it, and the long
# unload and storm tests. Not part of make check: too long for CI.
check-debug:
	$(FRESH_KDIR) KFLAVOUR=debug scripts/check.sh

check-host: kselftest-headers
	@rc=0; for d in $(HOST_TEST_DIRS); do $(MAKE) -C $$d check || rc=1; done; exit $$rc

check-vm: all vm-kernel
	selftests/vm/run.sh -- make -C selftests run_tests

# deps first, then a new make: KDIR is computed when make starts, and on a
# fresh machine linux-headers-amd64 is only there once deps has run. The new
# make must compute it again: unless the user set KDIR, drop the exported
# guess (its 'KDIR ?=' would keep it). dist/test/first_run.sh checks this.
FRESH_KDIR := $(if $(filter file,$(origin KDIR)),env -u KDIR)

demo: deps
	$(FRESH_KDIR) $(MAKE) demo-run

demo-run: all vm-kernel
	selftests/vm/run.sh -- selftests/demo.sh

bench: deps
	$(FRESH_KDIR) $(MAKE) bench-run

bench-run: all vm-kernel
	selftests/vm/run.sh -- selftests/bench/run.sh
	VM_TIMEOUT=2700 selftests/vm/run.sh -- selftests/setkey/bench.sh
	VM_TIMEOUT=2400 selftests/vm/run.sh -- selftests/bench/mem.sh

fuzz: deps kselftest-headers
	@rc=0; for d in $(FUZZ_DIRS); do $(MAKE) -C $$d fuzz || rc=1; done; exit $$rc

install: KDIR := /lib/modules/$(shell uname -r)/build
install:
	$(call for-this-kernel,$(TOP),$(BUILD)/module.kernel)
	$(MAKE) -C $(KDIR) M=$(TOP) modules modules_install
	depmod -a
	$(MAKE) -C user install

clean:
	-$(MAKE) -C $(KDIR) M=$(TOP) clean
	-$(MAKE) -C user clean
	-$(MAKE) -C selftests clean
	rm -rf $(BUILD)

# Installing it as a distribution does (see README): DKMS, Debian packages.
.PHONY: dkms dkms-remove deb check-packages

dkms:
	scripts/deps.sh dkms
	scripts/dkms.sh install $(DKMS_KERNELS)

dkms-remove:
	scripts/dkms.sh remove

deb:
	scripts/deps.sh deb
	scripts/deb.sh

# The .debs installed in the VM, DKMS building the module there (issue #17).
# Not in make check: the DKMS build under TCG alone takes minutes.
check-packages: deb vm-kernel
	scripts/deps.sh dkms
	selftests/vm/run.sh --noload -- selftests/package_install.sh
