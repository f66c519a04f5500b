. "$(dirname "$0")/lib.sh"
running dojo-vol-scratch
exec_has dojo-vol-scratch '/scratch is tmpfs' sh -c 'awk '\''$2 == "/scratch" { print "/scratch is " $3 }'\'' /proc/mounts'
exec_has dojo-vol-scratch 'size=16384k' sh -c "grep ' /scratch ' /proc/mounts"
exec_has dojo-vol-scratch 'scratch work' cat /scratch/draft.txt
