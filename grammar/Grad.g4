grammar Grad;
program : EOF ;
WS : [ \t\r\n]+ -> skip ;
