META
key;value
description;종로구 주민참여예산 2024 (synthetic demo election written for maeul, not real data)
country;South Korea
unit;Jongno-gu
instance;2024
num_projects;5
num_votes;12
budget;150000000
vote_type;approval
min_length;1
max_length;3
rule;greedy
PROJECTS
project_id;cost;name;category
1;60000000;낙산 성곽길 야간 조명 (Night lighting on the Naksan wall path);안전
2;45000000;종로 어린이 숲 놀이터 (A forest playground for children);환경
3;30000000;경로당 냉난방기 교체 (New air conditioning in seniors' centres);복지
4;25000000;동네 공유 부엌 (A shared neighbourhood kitchen);문화
5;40000000;통학로 옐로카펫 설치 (Yellow-carpet school crossings);안전
VOTES
voter_id;vote
1;1,5
2;2,5
3;1,3
4;5
5;2,3,4
6;1,2
7;3,5
8;4
9;1,5,3
10;2
11;5,4
12;1
