#!/bin/bash
# usage: loadend.sh N -> for main and new, warm and ci: time from profile start to publish() (end of load phase), interleaved
W=/work/wt/warmload
one() { v=$1; k=$2; [ $v = main ] && d=$W/bench-main/dist || d=$W/dist
  cd /dev/shm/warmload/site-$v
  if [ $k = warm ]; then echo "Edit $RANDOM." >> content/posts/2012/2012-01-01-post-0.md; else rm -rf public; fi
  P=/dev/shm/warmload/p-$v-$k; rm -rf $P; mkdir -p $P
  BROADSHEET_CACHE_DIR=/dev/shm/warmload/cache-$v node --cpu-prof --cpu-prof-interval 200 --cpu-prof-dir $P $d/cli.js build >/dev/null
  F=$(ls $P/*.cpuprofile | head -1)
  node /work/tools/phases.mjs loadSiteWith,publish $F | awk -v v=$v -v k=$k '/loadSiteWith/{s=$2} /publish/{p=$2} END{printf "%s %s loadSiteWith@%s publish@%s\n", v, k, s, p}'
}
for i in $(seq ${1:-3}); do for k in warm ci; do one main $k; one new $k; done; done
