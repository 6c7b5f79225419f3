#!/usr/bin/env python3
"""Who holds the instances of one class in a heap dump: for each instance, the chain of its first
referrers, counted. Found the message groups that grew in the heap (docs/performance.md, "Heap:
  what grows with the alerts, and its bounds"):
  jmap -dump:live,format=b,file=heap.hprof <pid of GraphSecurityBench>
  python3 bench/heap_holders.py heap.hprof 'java/util/HashMap$Node' 7
Reads HPROF 1.0.2 as the JDK writes it; holds the whole dump in memory."""
import struct, sys, collections
data=open(sys.argv[1],'rb').read()
want=sys.argv[2]; levels=int(sys.argv[3])
p=data.index(b'\0')+1
idsize=struct.unpack('>I',data[p:p+4])[0]; p+=4+8
def rid(o): return int.from_bytes(data[o:o+idsize],'big')
tsz={2:idsize,4:1,5:2,6:4,7:8,8:1,9:2,10:4,11:8}
strings={}; cname={}; classes={}; segs=[]
while p<len(data):
    tag=data[p]; ln=struct.unpack('>I',data[p+5:p+9])[0]; body=p+9; end=body+ln
    if tag==0x01: strings[rid(body)]=data[body+idsize:end].decode('utf8','replace')
    elif tag==0x02: cname[rid(body+4)]=strings.get(rid(body+8+idsize),'?')
    elif tag in (0x0c,0x1c): segs.append((body,end))
    p=end
# build reverse refs: child -> (parent oid, parent class)
parent={}; cls={}
inst=[]; objarr=[]
for body,end in segs:
    q=body
    while q<end:
        st=data[q]; q+=1
        if st==0xff: q+=idsize
        elif st==0x01: q+=2*idsize
        elif st in (0x02,0x03,0x08): q+=idsize+8
        elif st in (0x04,0x06): q+=idsize+4
        elif st in (0x05,0x07): q+=idsize
        elif st==0x20:
            cid=rid(q); sup=rid(q+idsize+4); q+=idsize+4+idsize*6+4
            cp=struct.unpack('>H',data[q:q+2])[0]; q+=2
            for _ in range(cp):
                t=data[q+2]; q+=3+tsz[t]
            n=struct.unpack('>H',data[q:q+2])[0]; q+=2
            for _ in range(n):
                t=data[q+idsize]; q+=idsize+1+tsz[t]
            n=struct.unpack('>H',data[q:q+2])[0]; q+=2
            fields=[]
            for _ in range(n):
                fields.append(data[q+idsize]); q+=idsize+1
            classes[cid]=(sup,fields)
        elif st==0x21:
            oid=rid(q); cid=rid(q+idsize+4); nb=struct.unpack('>I',data[q+2*idsize+4:q+2*idsize+8])[0]
            inst.append((oid,cid,q+2*idsize+8)); cls[oid]=cname.get(cid,'?'); q+=2*idsize+8+nb
        elif st==0x22:
            oid=rid(q); n=struct.unpack('>I',data[q+idsize+4:q+idsize+8])[0]; cid=rid(q+idsize+8)
            objarr.append((oid,cid,q+2*idsize+8,n)); cls[oid]='arr:'+cname.get(cid,'?'); q+=idsize+8+idsize+n*idsize
        elif st==0x23:
            n=struct.unpack('>I',data[q+idsize+4:q+idsize+8])[0]; t=data[q+idsize+8]
            q+=idsize+9+n*tsz[t]
for oid,cid,o in inst:
    c=cid
    while c and c in classes:
        sup,fields=classes[c]
        for t in fields:
            if t==2:
                r=rid(o)
                if r: parent.setdefault(r,oid)
            o+=tsz[t]
        c=sup
for oid,cid,o,n in objarr:
    for i in range(n):
        r=rid(o+i*idsize)
        if r: parent.setdefault(r,oid)
targets=[o for o,c in cls.items() if c==want]
print(want,len(targets))
# follow each target up 'levels' parents, skip HashMap$Node chains
chains=collections.Counter()
for t in targets:
    x=t; path=[]
    for _ in range(levels):
        x=parent.get(x)
        if x is None: break
        c=cls.get(x,'?')
        if c in ('java/util/HashMap$Node',) and path and path[-1]==c: continue
        path.append(c)
    chains[' <- '.join(path)]+=1
for k,v in chains.most_common(8): print(v,k)
