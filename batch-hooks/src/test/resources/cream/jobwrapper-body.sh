# The body of a job wrapper of CREAM's shape, for tests: what CREAM's jobwrapper.tpl does, in the
# order it does it, with the grid services replaced by files on the host. CREAM writes the job's
# settings above this body (see CreamJobWrapper). The steps this body takes itself leave a line in
# $__ce_sandbox/marks naming the kernel they ran under, and CREAM's notifications go to
# $__ce_sandbox/notifications; staging copies between $__ce_sandbox/input, .../output and the job's
# working directory, a directory the CE's sandbox is not in.

trap 'fatal_error "Job has been terminated (got SIGTERM)" "OSB"' TERM
trap 'fatal_error "Job has been terminated (got SIGINT)" "OSB"' INT
export EDG_WL_NOSETPGRP=1
export GLITE_WMS_SEQUENCE_CODE="$1"
shift

for ((idx = 0; idx < ${#__environment[*]}; idx++)); do
  eval export ${__environment[$idx]}
done

mark() { # 1 - step
  echo "$1 $(uname -r)" >> "$__ce_sandbox/marks"
}

notifyToCream() { # 1 - message (CREAM's job status notifier)
  echo "$1" >> "$__ce_sandbox/notifications"
}

doExit() { # 1 - status, 2 - reason
  echo "jw exit status = $1"
  [ -z "$2" ] || echo "$2" 1>&2
  if [ $__create_subdir -eq 1 ]; then
    cd ..
    rm -rf "${newdir}"
  fi
  exit $1
}

OSB_transfer() {
  for f in "${__output_file[@]}"; do
    eval f="$f"
    if [ -f "$f" ]; then
      cp "$f" "$__ce_sandbox/output/" && mark "uploaded $(basename "$f")"
    fi
  done
}

fatal_error() { # 1 - reason, 2 - transfer OSB
  notifyToCream "JobStatus=4; Reason=\"$1\";"
  if [ "x$2" == "xOSB" ]; then
    OSB_transfer
  fi
  doExit 1 "$1"
}

# customization point 1; workdir may change in it
if [ -n "${GLITE_LOCAL_CUSTOMIZATION_DIR}" ]; then
  if [ -r "${GLITE_LOCAL_CUSTOMIZATION_DIR}/cp_1.sh" ]; then
    . "${GLITE_LOCAL_CUSTOMIZATION_DIR}/cp_1.sh"
  fi
fi

notifyToCream "JobStatus=2;"

if [ $__create_subdir -eq 1 ]; then
  newdir="${__working_directory}"
  mkdir ${newdir}
  cd ${newdir}
fi
touch .tmp_file || fatal_error "Working directory not writable"
workdir="`pwd`"

# the input sandbox
for ((idx = 0; idx < ${#__input_file_url[*]}; idx++)); do
  cp "${__input_file_url[$idx]#file://}" "${workdir}/${__input_file_dest[$idx]}" ||
    fatal_error "Cannot move ISB (${__input_file_url[$idx]})"
  mark "staged ${__input_file_dest[$idx]}"
done

if [ -e "${__executable}" ]; then
  chmod +x "${__executable}" 2> /dev/null
else
  fatal_error "${__executable} not found or unreadable"
fi

notifyToCream "JobStatus=11;"

# the user's command, forked by perl, beside a child that would renew the proxy (here: renews nothing
# but leaves its mark, and tells the parent through a pipe that it did, so that a command quicker than
# the child's start cannot leave the step unmarked)
perl -e '
pipe(my $marked, my $marking) or die "cannot make a pipe: $!";
if (!defined($jobpid = fork())) {
    die "cannot fork job: $!";
} elsif ($jobpid == 0) {
    if (defined($ENV{"EDG_WL_NOSETPGRP"})) {
      $SIG{"TTIN"} = "IGNORE";
      $SIG{"TTOU"} = "IGNORE";
      setpgrp(0, 0);
    }
    exec(@ARGV);
    warn "could not exec $ARGV[0]: $!\n";
    exit(127);
} elsif (defined($chkpid = fork()) && $chkpid == 0) {
    close($marked);
    my $kernel = `uname -r`;
    open(my $marks, ">>", "$ENV{__ce_sandbox}/marks") or die "cannot write the marks: $!";
    print $marks "proxy renewal $kernel";
    close($marks);
    print $marking "marked\n";
    close($marking);
    sleep(86400);
    exit(0);
} else {
    close($marking);
    waitpid($jobpid, 0);
    $jobstatus = $? / 256;
    if (defined($chkpid)) {
        my $ready = <$marked>;
        kill(9, $chkpid);
    }
    print "job exit status = ${jobstatus}\n";
    exit($jobstatus);
}' "${__cmd_line}"

exit_code=$?

if [ -n "${GLITE_LOCAL_CUSTOMIZATION_DIR}" -a -f "${GLITE_LOCAL_CUSTOMIZATION_DIR}/cp_2.sh" ]; then
  . "${GLITE_LOCAL_CUSTOMIZATION_DIR}/cp_2.sh"
fi

OSB_transfer

notifyToCream "JobStatus=4;Reason=\"reason=0\";ExitCode=${exit_code};"
doExit 0
