#!/bin/bash
# usage: ab.sh N  — interleaved warm and CI builds, main (bench-main/dist) vs this worktree (dist), separate caches/sites
N=${1:-4}
W=/work/wt/warmload
for v in main new; do
  [ -d /dev/shm/warmload/site-$v ] || cp -r /dev/shm/warmload/site /dev/shm/warmload/site-$v
done
run() { # variant kind
  local v=$1 k=$2 d; [ $v = main ] && d=$W/bench-main/dist || d=$W/dist
  cd /dev/shm/warmload/site-$v
  if [ $k = warm ]; then echo "Edit $RANDOM." >> content/posts/2012/2012-01-01-post-0.md; else rm -rf public; fi
  BROADSHEET_CACHE_DIR=/dev/shm/warmload/cache-$v /usr/bin/time -f "$v $k %e s %U u %S s %M KB" node $d/cli.js build 2>&1 >/dev/null | tail -1
}
for v in main new; do run $v warm >/dev/null; run $v warm > /dev/null; done
for i in $(seq $N); do for k in warm ci; do run main $k; run new $k; done; done
